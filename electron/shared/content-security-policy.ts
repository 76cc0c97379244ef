/**
 * The renderer's Content-Security-Policy: the app itself, and the Code
 * payment button's iframe (served by Code's SDK host). Electron sends it as
 * a response header, the preview with every file, and index.html repeats it
 * in a meta tag.
 */
export const CODE_SDK_ORIGIN = 'https://sdk.getcode.com';

export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and the Code button set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  `frame-src ${CODE_SDK_ORIGIN}`,
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
