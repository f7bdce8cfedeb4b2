/**
 * "Is this production?" — decided here and nowhere else. An environment is production when its
 * profile says so (`kind: production`) or when its name says so (contains "prod", any case):
 * a page or command that only knows a name still treats "prod-eu" as production.
 */
export interface EnvironmentLike {
  name: string;
  /** The profile's `kind`, when the environment comes from a profile. */
  kind?: string | null;
}

export function isProductionEnvironment(environment: string | EnvironmentLike): boolean {
  const { name, kind } = typeof environment === 'string' ? { name: environment, kind: null } : environment;
  return kind === 'production' || /prod/i.test(name);
}
