// What jsdom lacks and the app's dialogs use: <dialog>'s showModal/close and scrollIntoView.
// Component tests call this once before rendering.
export function polyfillDom() {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
  Element.prototype.scrollIntoView ??= () => {};
}
