import { type FieldMetadata, getSelectProps, getTextareaProps } from "@conform-to/react";
import { SelectField, TextareaField } from "~/components/forms";
import { ROLES_CLAIMS } from "./mapping";

/** Where a provider's roles come from and how they map, as the control plane's SSO tab and the tenant portal both edit them. */
export function RoleFields({ rolesClaim, roleMapping, help }: { rolesClaim: FieldMetadata<string>; roleMapping: FieldMetadata<string>; help: string }) {
  return (
    <>
      <SelectField label="Roles from the claim" selectProps={getSelectProps(rolesClaim)} errors={rolesClaim.errors}>
        {ROLES_CLAIMS.map((claim) => (
          <option key={claim} value={claim}>
            {claim === "roles" ? "roles (app roles)" : "groups (group object ids)"}
          </option>
        ))}
      </SelectField>
      <TextareaField
        label="Role mapping"
        help={help}
        textareaProps={{ ...getTextareaProps(roleMapping), rows: 4, className: "font-mono" }}
        errors={roleMapping.errors}
      />
    </>
  );
}
