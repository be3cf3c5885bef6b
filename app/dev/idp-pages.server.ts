/**
 * Server-rendered pages of the dev identity provider: plain HTML forms that
 * work without JavaScript, with labelled inputs and errors announced to
 * assistive technology.
 */

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Marks a string as already-escaped HTML for `html` templates. */
class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    out += parts.map((part) => (part instanceof SafeHtml ? part.value : escapeHtml(part))).join("");
    out += strings[i + 1] ?? "";
  });
  return new SafeHtml(out);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f1f5f9;color:#0f172a}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(15,23,42,.15)}
h1{font-size:1.4rem;margin:0 0 .25rem}
p.lede{margin:0 0 1.5rem;color:#475569}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;padding:.6rem .7rem;border:1px solid #94a3b8;border-radius:.4rem;font:inherit}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:.4rem;background:#1d4ed8;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#e2e8f0;color:#0f172a}
fieldset{border:0;padding:0;margin:0}
legend{font-weight:600;margin-bottom:.5rem}
.choice{display:flex;gap:.6rem;align-items:center;padding:.6rem .7rem;border:1px solid #cbd5e1;border-radius:.4rem;margin:.4rem 0}
.choice label{margin:0;font-weight:500}
.error{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b;padding:.6rem .8rem;border-radius:.4rem;margin:0 0 1rem}
.hint{font-size:.9rem;color:#475569;margin:.25rem 0 0}
nav.links{margin-top:1.25rem;display:flex;justify-content:space-between;font-size:.95rem}
a{color:#1d4ed8}
.dev{font-size:.8rem;color:#64748b;margin-top:1.5rem;border-top:1px solid #e2e8f0;padding-top:.75rem}
`;

export function page(title: string, body: SafeHtml): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Nexius SSO (development)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.value}
</main>
</body>
</html>`;
}

function errorBox(message: string | undefined, id = "form-error") {
  return message ? html`<p class="error" role="alert" id="${id}">${message}</p>` : html``;
}

export function loginPage(input: { action: string; clientName: string; email?: string; error?: string; signUpHref?: string; abortHref: string }): string {
  const described = input.error ? html` aria-describedby="form-error" aria-invalid="true"` : html``;
  return page(
    "Sign in",
    html`<h1>Sign in to Nexius</h1>
<p class="lede">to continue to ${input.clientName}</p>
${errorBox(input.error)}
<form method="post" action="${input.action}" novalidate>
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${input.email ?? ""}"${described}${input.email ? html`` : html` autofocus`}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}${input.email ? html` autofocus` : html``}>
  <button type="submit">Sign in</button>
</form>
<nav class="links">
  ${input.signUpHref ? html`<a href="${input.signUpHref}">Create account</a>` : html`<span></span>`}
  <a href="${input.abortHref}">Cancel</a>
</nav>
<p class="dev">Development identity provider. Demo accounts use the password “demo”.</p>`,
  );
}

export function chooseTenantPage(input: {
  action: string;
  email: string;
  tenants: { tenant_id: string; roles: string[] }[];
  error?: string;
  abortHref: string;
}): string {
  return page(
    "Choose a workspace",
    html`<h1>Choose a workspace</h1>
<p class="lede">${input.email} belongs to several workspaces. Pick the one to sign in to; switching later means signing in again.</p>
${errorBox(input.error)}
<form method="post" action="${input.action}">
  <fieldset>
    <legend>Workspace</legend>
    ${input.tenants.map(
      (t, i) => html`<div class="choice">
      <input type="radio" id="tenant-${i}" name="tenant_id" value="${t.tenant_id}" required${i === 0 ? html` checked` : html``}>
      <label for="tenant-${i}">${t.tenant_id} <span class="hint">(${t.roles.join(", ") || "no role"})</span></label>
    </div>`,
    )}
  </fieldset>
  <button type="submit">Continue</button>
</form>
<nav class="links"><span></span><a href="${input.abortHref}">Cancel</a></nav>`,
  );
}

export function signUpPage(input: {
  action: string;
  loginHref: string;
  values?: { email?: string; name?: string };
  errors?: Partial<Record<"email" | "name" | "password" | "form", string>>;
  minPasswordLength: number;
}): string {
  const errors = input.errors ?? {};
  const field = (name: "email" | "name" | "password") =>
    errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : name === "password" ? html` aria-describedby="password-hint"` : html``;
  const fieldError = (name: "email" | "name" | "password") =>
    errors[name] ? html`<p class="error" id="${name}-error" role="alert">${errors[name]}</p>` : html``;
  return page(
    "Create account",
    html`<h1>Create your Nexius account</h1>
<p class="lede">Your workspace is set up the first time you sign in.</p>
${errorBox(errors.form)}
<form method="post" action="${input.action}" novalidate>
  <label for="name">Full name</label>
  <input id="name" name="name" type="text" autocomplete="name" required value="${input.values?.name ?? ""}"${field("name")} autofocus>
  ${fieldError("name")}
  <label for="email">Work email</label>
  <input id="email" name="email" type="email" autocomplete="email" required value="${input.values?.email ?? ""}"${field("email")}>
  ${fieldError("email")}
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${input.minPasswordLength}"${field("password")}>
  <p class="hint" id="password-hint">At least ${input.minPasswordLength} characters.</p>
  ${fieldError("password")}
  <button type="submit">Create account and continue</button>
</form>
<nav class="links"><a href="${input.loginHref}">I already have an account</a><span></span></nav>`,
  );
}

export function messagePage(title: string, message: string, status?: string): string {
  return page(title, html`<h1>${title}</h1><p role="${status ?? "status"}">${message}</p>`);
}

/** `form` is oidc-provider's hidden logout form (id="op.logoutForm"), already HTML. */
export function logoutConfirmPage(input: { form: string; host: string }): string {
  return page(
    "Sign out",
    html`<h1>Sign out of Nexius?</h1>
<p class="lede">You will be signed out of every application that uses ${input.host}.</p>
${new SafeHtml(input.form)}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}
