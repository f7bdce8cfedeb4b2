import { Component, type ErrorInfo, type ReactNode } from 'react';
import { reportCrash } from '../crash-forwarding';
import { StateMessage } from './StateMessage';

/** A page that throws while drawing says so (and is reported), instead of blanking the window. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, _info: ErrorInfo): void {
    reportCrash('react', error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <StateMessage kind="error" title="This page failed to draw">
        {this.state.error.message} — open another page, or reload the window. The error was passed to crash reporting if it is on.
      </StateMessage>
    );
  }
}
