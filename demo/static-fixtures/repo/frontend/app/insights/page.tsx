// The sample frontend: errors go to a toast, never alert(). (This comment mentions alert( on purpose.)
import { toast } from './toast';

export function onLoadError(): void {
  /* alert('old behaviour') was replaced by a toast */
  toast.error('Something went wrong. Please try again.');
}
