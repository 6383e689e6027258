// pg's optional libpq binding (reached only through `pg.native`, which MCP Tray never uses): the
// bundles carry this instead of a require() of a module the installer does not have.
module.exports = function PgNative() {
  throw new Error('pg-native is not part of MCP Tray: the pure JavaScript driver is used');
};
