// Entry point: global styles, then the app. If even mounting fails, say so in the page.
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';

const root = document.getElementById('root') ?? document.body;

try {
  mount(App, { target: root });
} catch (error) {
  console.error('Redline could not start its window', error);
  showStartupFailure(root, error);
}

/** A minimal error panel built with DOM calls (no Svelte, no inline script or style). */
function showStartupFailure(target: HTMLElement, error: unknown): void {
  const panel = document.createElement('section');
  panel.dataset.testid = 'error';
  panel.dataset.kind = 'exception';
  panel.setAttribute('role', 'alert');
  const title = document.createElement('h2');
  title.textContent = 'Redline could not start its window';
  const message = document.createElement('p');
  message.dataset.testid = 'error-message';
  message.textContent = error instanceof Error ? error.message : String(error);
  panel.append(title, message);
  const app = document.createElement('div');
  app.dataset.testid = 'app';
  app.dataset.state = 'error';
  app.append(panel);
  target.replaceChildren(app);
}
