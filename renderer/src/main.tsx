// The global stylesheet comes first: every component's own stylesheet,
// imported by the component, builds on it.
import './app/global.css';
// Before anything that builds a schema (see the file).
import './app/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
