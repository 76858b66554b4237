// oidc-provider (a test dependency: the organisation's provider in test/http/oidc-federation.test.ts) ships no types.
declare module 'oidc-provider';
