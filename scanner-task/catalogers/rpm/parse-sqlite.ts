// rpmdb.sqlite (RHEL 9, Fedora 33+): the Packages table holds one header blob per package.
// sql.js is SQLite compiled to WebAssembly: no native build, any Node version.
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let sqlite: Promise<SqlJsStatic> | undefined;

export async function sqliteHeaders(bytes: Buffer): Promise<Uint8Array[]> {
  sqlite ??= initSqlJs();
  const SQL = await sqlite;
  const db = new SQL.Database(bytes);
  try {
    const blobs: Uint8Array[] = [];
    const statement = db.prepare('SELECT blob FROM Packages');
    while (statement.step()) {
      const [blob] = statement.get();
      if (blob instanceof Uint8Array) blobs.push(blob);
    }
    statement.free();
    return blobs;
  } finally {
    db.close();
  }
}
