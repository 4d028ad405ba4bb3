// The open SQL and template documents, and what the language features read from them: which are
// templates, their analysis and their mustaches, computed once per document version.
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Catalog, type SqlDialect, type TemplateEntry } from '../../engines/catalog';
import { parseFrontMatter, scanMustaches, type Mustache, analyseTemplate, type TemplateDocument } from '../../engines/templates';
import { type NeuroLakeSettings } from '../../protocol';
import { type Session } from '../../session';

interface Cached {
  readonly version: number;
  mustaches?: Mustache[];
  analysis?: TemplateDocument;
  isTemplate?: boolean;
}

export class LanguageDocuments {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, Cached>();

  constructor(readonly session: () => Session) {
    this.documents.onDidClose(({ document }) => this.cache.delete(document.uri));
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  settings(): NeuroLakeSettings {
    return this.session().currentSettings();
  }

  /**
   * `*.sql.hbs` files (language `sql-template`), and files that start with a NeuroLake front matter. Not every Handlebars
   * file: an HTML template (Ember, Express) is none of NeuroLake's business.
   */
  isTemplate(document: TextDocument): boolean {
    const cached = this.entry(document);
    cached.isTemplate ??=
      document.languageId === 'sql-template' || /\.sql\.hbs$/i.test(document.uri) || parseFrontMatter(document.getText()) !== undefined;
    return cached.isTemplate;
  }

  mustaches(document: TextDocument): Mustache[] {
    const cached = this.entry(document);
    cached.mustaches ??= scanMustaches(document.getText());
    return cached.mustaches;
  }

  /** The template analysis; a document naming a catalog template is re-read each time, as the catalog may have changed. */
  async analysis(document: TextDocument): Promise<TemplateDocument> {
    const cached = this.entry(document);
    if (cached.analysis !== undefined && cached.analysis.frontMatter?.catalog === undefined) return cached.analysis;
    const catalog = await this.catalog();
    cached.analysis = analyseTemplate(document.getText(), { lookupTemplate: (ref) => lookupTemplate(catalog, ref) });
    return cached.analysis;
  }

  /** Whether the document's front matter names a catalog template (a catalog change may change its diagnostics). */
  namesCatalogTemplate(document: TextDocument): boolean {
    return this.isTemplate(document) && parseFrontMatter(document.getText())?.catalog !== undefined;
  }

  /** The catalog, or undefined when it is not running (template features then work without it). */
  async catalog(): Promise<Catalog | undefined> {
    try {
      return (await this.session().runtime()).engine('catalog');
    } catch {
      return undefined;
    }
  }

  /** The dialect a document is formatted and rendered in: the setting, if the template allows it. */
  dialectFor(dialects: readonly SqlDialect[]): SqlDialect {
    const setting = this.settings().sql.dialect;
    return dialects.length === 0 || dialects.includes(setting) ? setting : dialects[0]!;
  }

  private entry(document: TextDocument): Cached {
    let cached = this.cache.get(document.uri);
    if (cached === undefined || cached.version !== document.version) {
      cached = { version: document.version };
      this.cache.set(document.uri, cached);
    }
    return cached;
  }
}

function lookupTemplate(catalog: Catalog | undefined, ref: string): TemplateEntry | undefined {
  const entry = catalog?.get(ref);
  return entry?.kind === 'template' && entry.deletedAt === undefined ? entry : undefined;
}
