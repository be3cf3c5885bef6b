/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Typed loaders under Single Fetch (a module augmentation, hence the export).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
