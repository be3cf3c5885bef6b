import { type Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#eef6ff",
          100: "#d9eaff",
          500: "#2f6fed",
          600: "#1f57c9",
          700: "#1a46a1",
          900: "#142f66",
        },
      },
    },
  },
  plugins: [],
} satisfies Config;
