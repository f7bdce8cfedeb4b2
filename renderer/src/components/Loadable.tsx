import type { ReactNode } from 'react';
import { StateMessage } from './StateMessage';

/**
 * Exactly one of: the content, the error, or a spinner. An error always ends the spinner; with
 * content already shown, the error sits above it and the content stays (marked stale by the caller).
 */
export function Loadable<T>(props: { value: T | null | undefined; error: string | null; loadingTitle: string; errorTitle: string; children: (value: T) => ReactNode }) {
  return (
    <>
      {props.error ? (
        <StateMessage kind="error" title={props.errorTitle}>
          {props.error}
        </StateMessage>
      ) : null}
      {props.value !== null && props.value !== undefined ? props.children(props.value) : props.error ? null : <StateMessage kind="loading" title={props.loadingTitle} />}
    </>
  );
}
