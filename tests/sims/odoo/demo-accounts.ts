import { rng } from "../world/random";

/**
 * The customer companies of a demo CRM and their people, the same for the
 * same seed. Odoo's demo CRM files its deals against them, and the Graph
 * simulator's demo calendars invite the same people to meetings, so a demo
 * deal's timeline shows the Outlook meetings its contacts were in — as a
 * real tenant's does, where both systems know the same customers.
 */

export type DemoPerson = { name: string; job: string; email: string; phone: string };
export type DemoAccount = { name: string; domain: string; uen: string; phone: string; active: boolean; category: number; people: DemoPerson[] };

/** How many customer companies a demo CRM has unless told otherwise. */
export const DEMO_ACCOUNTS = 120;

export const FIRST = [
  "Wei",
  "Mei",
  "Arjun",
  "Siti",
  "Daniel",
  "Hui Min",
  "Rahul",
  "Nur",
  "Kevin",
  "Priya",
  "Jun Jie",
  "Aisha",
  "Marcus",
  "Li Ting",
  "Farid",
  "Grace",
];
export const LAST = ["Tan", "Lim", "Lee", "Ng", "Wong", "Kumar", "Rahman", "Chua", "Goh", "Ong", "Teo", "Singh", "Koh", "Chen", "Yeo", "Ismail"];
const WORDS = ["Apex", "Harbour", "Lion", "Orchid", "Merlion", "Straits", "Keppel", "Marina", "Temasek", "Jurong", "Raffles", "Sentosa", "Bukit", "Tampines"];
export const TRADES = [
  "Logistics",
  "Software",
  "Engineering",
  "Foods",
  "Analytics",
  "Robotics",
  "Medical",
  "Builders",
  "Energy",
  "Fintech",
  "Design",
  "Trading",
];
const JOBS = ["CEO", "CTO", "Head of Operations", "Procurement Manager", "IT Director", "CFO", "Sales Director", "Office Manager"];
const UEN_LETTERS = ["A", "C", "D", "E", "G", "H", "K", "M", "N", "R", "W", "Z"];

/** `count` customer companies with one to three people each; `category` indexes the partner categories. */
export function demoAccounts(seed: string | number, count = DEMO_ACCOUNTS, categories = 4): DemoAccount[] {
  const r = rng("demo-crm-accounts", seed);
  return Array.from({ length: count }, (_, i) => {
    const name = `${r.pick(WORDS)} ${r.pick(TRADES)} ${i + 1} Pte. Ltd.`;
    const domain = `${name.split(" ")[0]!.toLowerCase()}${r.pick(TRADES).toLowerCase()}${i + 1}.com.sg`;
    const uen = `${r.int(2005, 2024)}${String(r.int(0, 99999)).padStart(5, "0")}${r.pick(UEN_LETTERS)}`;
    const account = { name, domain, uen, active: r.next() > 0.03, phone: `+65 6${r.int(100, 999)} ${r.int(1000, 9999)}`, category: r.int(0, categories - 1) };
    const people = Array.from({ length: r.int(1, 3) }, () => {
      const first = r.pick(FIRST);
      const last = r.pick(LAST);
      return {
        name: `${first} ${last}`,
        job: r.pick(JOBS),
        email: `${first.toLowerCase().replace(/\s+/g, "")}.${last.toLowerCase()}@${domain}`,
        phone: `+65 9${r.int(100, 999)} ${r.int(1000, 9999)}`,
      };
    });
    return { ...account, people };
  });
}
