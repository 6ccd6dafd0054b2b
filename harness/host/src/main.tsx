import { createRoot } from 'react-dom/client';

import { HostApp } from './HostApp';
import { initHost } from './services';

initHost()
  .then(() => createRoot(document.getElementById('reactRoot')!).render(<HostApp />))
  .catch((err) => {
    console.error('harness: the host failed to start', err);
    document.getElementById('reactRoot')!.textContent = `harness: the host failed to start: ${err?.stack ?? err}`;
  });
