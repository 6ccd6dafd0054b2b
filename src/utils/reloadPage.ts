/** Plugin settings reach the app only through a full reload; kept apart so tests can replace it. */
export function reloadPage() {
  window.location.reload();
}
