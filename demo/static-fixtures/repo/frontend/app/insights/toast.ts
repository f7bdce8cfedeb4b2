const shown: string[] = [];

export const toast = {
  error(message: string): void {
    shown.push(message);
  },
};
