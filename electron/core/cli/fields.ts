/** `mcp-tray catalog fields …`: the catalog's own fields (a person's columns: colour, weight, a supplier's link). */
import { InvalidArgumentError, type Command } from 'commander';
import { FIELD_TYPES, TYPE_WORDS, type FieldType } from '../../../servers/products/fields.js';
import { visibleLine } from '../../../servers/shared/visible.js';
import { UsageError, withHost } from './common.js';

const fieldType = (v: string): FieldType => {
  if (!(FIELD_TYPES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${FIELD_TYPES.join(', ')}`);
  return v as FieldType;
};

export function fieldCommands(catalog: Command, out: NodeJS.WriteStream): void {
  const fields = catalog.command('fields').description("the catalog's own fields (columns you add: colour, weight, …)");

  fields
    .command('list', { isDefault: true })
    .description('list the fields: key, label, type, choices')
    .option('--json', 'as JSON')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o: { json?: boolean; dataDir?: string }) => {
      const list = await withHost(o.dataDir, (h) => h.api.listFields({}));
      if (o.json) {
        out.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        out.write('The catalog has no fields of its own yet. Add one: mcp-tray catalog fields add "Colour" --type text\n');
        return;
      }
      for (const f of list) {
        const choices = f.choices ? ` (${f.choices.map(visibleLine).join(', ')})` : '';
        out.write(
          `${f.key.padEnd(24)} ${visibleLine(f.label)}: ${TYPE_WORDS[f.type]}${choices}; ${f.used.toLocaleString('en')} products have a value\n`,
        );
      }
    });

  fields
    .command('add')
    .description('add a field')
    .argument('<label>', 'what people call it: "Weight (kg)" (its key: weight_kg)')
    .requiredOption('--type <type>', FIELD_TYPES.join(' | '), fieldType)
    .option('--choices <list>', 'for a choice field: the choices, separated by commas ("S,M,L")')
    .option('--data-dir <dir>', 'data directory')
    .action(async (label: string, o: { type: FieldType; choices?: string; dataDir?: string }) => {
      const choices = o.choices?.split(',').map((c) => c.trim());
      if (o.type === 'choice' && !choices) throw new UsageError('a choice field needs --choices "a,b,c"');
      const f = await withHost(o.dataDir, (h) => h.api.addField({ label, type: o.type, ...(choices ? { choices } : {}) }));
      out.write(`Added ${visibleLine(f.label)} (${f.key}): ${TYPE_WORDS[f.type]}. AI apps see it at once.\n`);
    });

  fields
    .command('rename')
    .description('give a field a new label (its values are kept; its key follows the label)')
    .argument('<key>', 'the field, by key (see: mcp-tray catalog fields)')
    .argument('<label>', 'its new label')
    .option('--data-dir <dir>', 'data directory')
    .action(async (key: string, label: string, o: { dataDir?: string }) => {
      const f = await withHost(o.dataDir, (h) => h.api.renameField({ key, label }));
      out.write(`${key} is now ${visibleLine(f.label)} (${f.key}).\n`);
    });

  fields
    .command('remove')
    .description("remove a field and every product's value of it")
    .argument('<key>', 'the field, by key')
    .option('--yes', 'do not ask')
    .option('--data-dir <dir>', 'data directory')
    .action(async (key: string, o: { yes?: boolean; dataDir?: string }) => {
      await withHost(o.dataDir, async (h) => {
        if (!o.yes) {
          const field = (await h.api.listFields({})).find((f) => f.key === key);
          if (!field) throw new UsageError(`there is no field called ${key} (see: mcp-tray catalog fields)`);
          const what = `${visibleLine(field.label)}: ${field.used.toLocaleString('en')} products have a value, which would go with it`;
          if (!process.stdin.isTTY) throw new UsageError(`removing ${what}. Give --yes to remove it.`);
          process.stderr.write(`Remove ${what}? [y/N] `);
          const answer = await new Promise<string>((resolve) => process.stdin.once('data', (d) => resolve(String(d).trim())));
          process.stdin.pause();
          if (!/^y(es)?$/i.test(answer)) {
            out.write('Nothing was removed.\n');
            return;
          }
        }
        const r = await h.api.removeField({ key });
        out.write(
          `Removed ${visibleLine(r.field.label)} (${r.field.key}) and its values on ${r.values.toLocaleString('en')} products. ` +
            `To undo: mcp-tray catalog fields restore ${r.removal}\n`,
        );
      });
    });

  fields
    .command('type')
    .description("change a field's type (every value is converted, or nothing changes and the products that stop it are named)")
    .argument('<key>', 'the field, by key')
    .argument('<type>', FIELD_TYPES.join(' | '), fieldType)
    .option('--choices <list>', 'for a choice field: the choices, separated by commas (default: the values it has)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (key: string, type: FieldType, o: { choices?: string; dataDir?: string }) => {
      const choices = o.choices?.split(',').map((c) => c.trim());
      const r = await withHost(o.dataDir, (h) => h.api.changeFieldType({ key, type, ...(choices ? { choices } : {}) }));
      const options = r.field.choices ? ` (${r.field.choices.map(visibleLine).join(', ')})` : '';
      out.write(
        `${visibleLine(r.field.label)} is now ${TYPE_WORDS[r.field.type]}${options}; ${r.converted.toLocaleString('en')} values converted.\n`,
      );
    });

  fields
    .command('move')
    .description('move a field in the order the window and AI apps show them')
    .argument('<key>', 'the field, by key')
    .argument('<position>', 'its place: 1 is first', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number from 1');
      return n;
    })
    .option('--data-dir <dir>', 'data directory')
    .action(async (key: string, position: number, o: { dataDir?: string }) => {
      const order = await withHost(o.dataDir, (h) => h.api.moveField({ key, to: position - 1 }));
      out.write(`The fields' order: ${order.map((f) => visibleLine(f.label)).join(', ')}\n`);
    });

  fields
    .command('restore')
    .description('undo removing a field: it comes back with its values')
    .argument('[id]', 'the removal (see: mcp-tray catalog fields removed); the latest when left out')
    .option('--data-dir <dir>', 'data directory')
    .action(async (id: string | undefined, o: { dataDir?: string }) => {
      await withHost(o.dataDir, async (h) => {
        const removal = id === undefined ? (await h.api.listRemovedFields({})).find((r) => r.restoredAt === null)?.id : Number(id);
        if (removal === undefined) throw new UsageError('no removed field can be put back');
        if (!Number.isInteger(removal) || removal < 1)
          throw new UsageError(`"${id}" is not a removal's number (see: mcp-tray catalog fields removed)`);
        const r = await h.api.restoreField({ id: removal });
        out.write(
          `${visibleLine(r.field.label)} (${r.field.key}) is back, with its values on ${r.values.toLocaleString('en')} products.\n`,
        );
      });
    });

  fields
    .command('removed')
    .description('the fields removed lately, which restore can put back')
    .option('--json', 'as JSON')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o: { json?: boolean; dataDir?: string }) => {
      const list = await withHost(o.dataDir, (h) => h.api.listRemovedFields({}));
      if (o.json) {
        out.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) out.write('No field has been removed.\n');
      for (const r of list)
        out.write(
          `${String(r.id).padStart(4)}  ${visibleLine(r.label)} (${r.key}), ${r.products.toLocaleString('en')} values, removed ${r.removedAt}` +
            `${r.restoredAt ? `; put back ${r.restoredAt}` : ''}\n`,
        );
    });
}
