import { describe, expect, it } from "vitest";
import { type DesiredCompany } from "./desired-partners.server";
import { planPartnerUpsert, type ExistingPartner } from "./partner-plan.server";

const existingPartner = (over: Partial<ExistingPartner> & { id: number }): ExistingPartner => ({
  name: false,
  ref: false,
  is_company: false,
  active: true,
  parent_id: false,
  company_id: false,
  email: false,
  website: false,
  phone: false,
  mobile: false,
  function: false,
  street: false,
  street2: false,
  zip: false,
  city: false,
  country_id: false,
  comment: false,
  ...over,
});

const desired = (over: Partial<DesiredCompany> & { uen: string }): DesiredCompany => ({ name: `Company ${over.uen}`, contacts: [], ...over });

describe("planPartnerUpsert", () => {
  it("plans creates, field-level updates and unchanged records", () => {
    const existing = {
      companies: [
        existingPartner({ id: 10, ref: "U1", is_company: true, name: "Old Name", website: "http://one.example" }),
        existingPartner({ id: 11, ref: "U2", is_company: true, name: "Company U2" }),
      ],
      contacts: [existingPartner({ id: 20, parent_id: 10, name: "Jo", email: "JO@one.example" })],
      countryIds: { SG: 5 },
    };
    const plan = planPartnerUpsert(
      existing,
      [
        desired({ uen: "U1", name: "New Name", website: "one.example", countryCode: "SG", contacts: [{ name: "Jo", email: "jo@one.example" }] }),
        desired({ uen: "U2" }),
        desired({ uen: "U3", contacts: [{ name: "Li", linkedinUrl: "https://sg.linkedin.com/in/Li-Wei/" }] }),
      ],
      { companyId: 7 },
    );
    expect(plan.companies.update).toEqual([
      {
        uen: "U1",
        id: 10,
        archived: false,
        changes: [
          { field: "name", before: "Old Name", after: "New Name" },
          { field: "country_id", before: false, after: 5 },
        ],
      },
    ]);
    expect(plan.companies.unchanged).toEqual([{ uen: "U2", id: 11, archived: false }]);
    expect(plan.companies.create).toEqual([{ uen: "U3", values: { name: "Company U3", is_company: true, ref: "U3", company_id: 7 } }]);
    expect(plan.contacts.unchanged).toEqual([{ uen: "U1", key: "jo@one.example", id: 20, archived: false }]);
    expect(plan.contacts.create).toEqual([
      {
        uen: "U3",
        key: "https://www.linkedin.com/in/li-wei",
        parentId: null,
        values: { name: "Li", website: "https://www.linkedin.com/in/li-wei", type: "contact", is_company: false, company_id: 7 },
      },
    ]);
  });

  it("prefers the tenant's active partner among duplicate refs and says so", () => {
    const plan = planPartnerUpsert(
      {
        companies: [
          existingPartner({ id: 1, ref: "U1", is_company: true, name: "Company U1", active: false, company_id: 7 }),
          existingPartner({ id: 2, ref: "U1", is_company: true, name: "Company U1", company_id: false }),
          existingPartner({ id: 3, ref: "U1", is_company: true, name: "Company U1", company_id: 7 }),
        ],
        contacts: [],
        countryIds: {},
      },
      [desired({ uen: "U1" })],
      { companyId: 7 },
    );
    expect(plan.companies.unchanged).toEqual([{ uen: "U1", id: 3, archived: false }]);
    expect(plan.warnings).toEqual(["UEN U1 matches 3 partners (1, 2, 3); using 3"]);
  });

  it("matches a contact known by LinkedIn when an email turns up, and merges duplicate UENs", () => {
    const plan = planPartnerUpsert(
      {
        companies: [existingPartner({ id: 1, ref: "U1", is_company: true, name: "Company U1" })],
        contacts: [existingPartner({ id: 2, parent_id: 1, name: "Li", website: "https://www.linkedin.com/in/li" })],
        countryIds: {},
      },
      [
        desired({ uen: "U1", contacts: [{ name: "Li", linkedinUrl: "linkedin.com/in/li" }] }),
        desired({ uen: "U1", contacts: [{ name: "Li", email: "li@u1.example", linkedinUrl: "https://www.linkedin.com/in/LI/?trk=x" }] }),
      ],
    );
    expect(plan.contacts.create).toEqual([]);
    expect(plan.contacts.update).toEqual([
      { uen: "U1", key: "li@u1.example", id: 2, archived: false, changes: [{ field: "email", before: false, after: "li@u1.example" }] },
    ]);
    expect(plan.companies.unchanged).toEqual([{ uen: "U1", id: 1, archived: false }]);
  });

  it("fills an empty note but never overwrites one, and sends notes as one escaped paragraph", () => {
    const existing = (comment: string | false) => ({
      companies: [existingPartner({ id: 1, ref: "U1", is_company: true, name: "Company U1", comment })],
      contacts: [],
      countryIds: {},
    });
    const wanted = [desired({ uen: "U1", comment: "Fish & <chips>\nIndustry: Food", street2: "#01-02" })];
    expect(planPartnerUpsert(existing(false), wanted).companies.update[0]!.changes).toEqual([
      { field: "street2", before: false, after: "#01-02" },
      { field: "comment", before: false, after: "<p>Fish &amp; &lt;chips&gt;<br>Industry: Food</p>" },
    ]);
    expect(planPartnerUpsert(existing("<p><br></p>"), wanted).companies.update[0]!.changes.map((c) => c.field)).toEqual(["street2", "comment"]);
    expect(planPartnerUpsert(existing("<p>Met at a fair</p>"), wanted).companies.update[0]!.changes.map((c) => c.field)).toEqual(["street2"]);
  });
});
