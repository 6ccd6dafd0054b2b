// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no canvas; @grafana/ui measures text (Combobox width, etc.) through a 2D context.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return {
    font: '',
    measureText: (text) => ({ width: String(text ?? '').length * 8 }),
  };
};

// jsdom has no IntersectionObserver; @grafana/ui's scroll indicators (Combobox menu, etc.) observe with one.
class NoopIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = NoopIntersectionObserver;

// @grafana/i18n initialises i18next on the first t(); keep its promotional console notice out of test output.
process.env.I18NEXT_NO_SUPPORT_NOTICE = 'true';
