import { buildWorld, syntheticCompanies, DEMO_COMPANIES, renderHtml } from "./tests/sims/world/index";
const list = [...DEMO_COMPANIES, ...syntheticCompanies(400, 1)];
const w = buildWorld(list, { seed: 42 });
const kinds: Record<string, number> = {};
for (const c of w.companies()) { const k = c.site ? `${c.site.kind}/${c.site.discoverability}` : "none"; kinds[k] = (kinds[k] ?? 0) + 1; }
console.log(kinds, w.sites().length, w.hosts().length);
console.log(list.slice(0, 15).map(c => `${c.name} -> ${w.companyByUen(c.uen)?.site?.domain}`).join("\n"));
const codigo = w.companyByName("Codigo Pte Ltd")!;
console.log(codigo.brand, codigo.site?.domain, codigo.linkedin);
console.log(renderHtml(codigo.site!, w.pageAt("codigo.com.sg", "/")!));
console.log(w.extractUrl("http://codigo.com.sg" + [...codigo.site!.pages().values()][1]!.path));
console.log(w.searchWeb("CODIGO PTE. LTD."));
const emps = w.employees(codigo.linkedin!.linkedinUrl); console.log(emps.slice(0,3)); console.log(w.profile(emps[0]!.linkedinUrl));
console.log(w.truth(codigo.uen), w.truth(codigo.uen)!.emails.map(e => [e, w.emailStatus(e)]));
