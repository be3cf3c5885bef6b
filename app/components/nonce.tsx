import { createContext, useContext } from "react";

/**
 * The response's Content-Security-Policy nonce, for the inline scripts Remix
 * renders. Server-side only: browsers hide nonce values from the page, so in
 * the browser this is empty and nothing needs it after hydration.
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
