/**
 * The one schema, as Kysely sees it. Column types are the ones both SQLite and PostgreSQL return:
 * times are ISO-8601 UTC text, so rows read the same from either database.
 */
export interface AppMetaTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  app_meta: AppMetaTable;
}
