/**
 * Adds a data-testid to a props object. antd's prop types (okButtonProps, fieldProps …) do not
 * declare data-* attributes, though the components pass them through to the DOM.
 */
export function withTestId<T extends object>(id: string, props: T): T {
  return { ...props, 'data-testid': id };
}
