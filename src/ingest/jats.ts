import type { Element } from '@xmldom/xmldom';
import { landingPageUrl } from '../formats/citation.js';
import type { Affiliation, Author, FullText, Funding, Lang } from '../model.js';
import { validIssn } from '../store/journal.js';
import { canonicalFunderId, canonicalOrcid, canonicalRor } from '../text/identifiers.js';
import { gregorianToSolarHijri, readSeasons } from '../text/solar-hijri.js';
import { JOURNAL_ARTICLE_TYPES, JATS_CUSTOM_META, JATS_NAMESPACE, COAR_TYPES_VOCABULARY } from '../formats/jats.js';
import { OPEN_ACCESS } from '../formats/shared.js';
import { isCalendarDate } from './details.js';
import { JatsError } from './errors.js';
import type { ArticlePatch, IssueBatch, IssuePatch, JournalFacts } from './patch.js';
import { attr, child, children, descendants, inheritedLang, lineOf, ourLang, parseXml, pathOf, scriptLang, textOf, XmlSyntaxError } from './xml-dom.js';

/** What the reader needs of the repository to know its own identifiers and landing pages. */
export interface JatsContext {
  repositoryIdentifier: string;
  publicUrl: string;
}

type Texts = Partial<Record<Lang, string>>;

/**
 * Reads one JATS article (1.0 to 1.4, in no namespace or in the namespace this repository's own
 * records carry) into one issue batch of one article. Only the front matter is read: the
 * journal's facts, the issue, and the article's metadata. Throws JatsError naming the file, the
 * line and the element of the first problem.
 */
export function parseJats(text: string, file: string, context: JatsContext): IssueBatch {
  let root: Element;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new JatsError(file, error.line, 'xml', `not well-formed XML: ${error.detail}`);
    throw error;
  }
  return new JatsReader(file, context).read(root);
}

class JatsReader {
  constructor(
    private readonly file: string,
    private readonly context: JatsContext,
  ) {}

  /** A JatsError at an element. */
  private fail(element: Element, detail: string): never {
    throw new JatsError(this.file, lineOf(element), pathOf(element), detail);
  }

  private required(parent: Element, name: string): Element {
    return child(parent, name) ?? this.fail(parent, `has no <${name}>, which the repository needs`);
  }

  read(root: Element): IssueBatch {
    if (root.localName !== 'article' || (root.namespaceURI !== null && root.namespaceURI !== JATS_NAMESPACE)) {
      this.fail(root, `the root element is <${root.tagName}>${root.namespaceURI === null ? '' : ` in ${root.namespaceURI}`}, not a JATS <article>`);
    }
    const front = this.required(root, 'front');
    const journalMeta = this.required(front, 'journal-meta');
    const meta = this.required(front, 'article-meta');
    const batch: IssueBatch = {
      issue: this.issue(meta),
      journalNameFa: null,
      journalLine: lineOf(journalMeta),
      journal: this.journal(journalMeta),
      articles: [this.article(root, meta)],
      complete: false,
      listed: false,
      file: this.file,
    };
    const code = this.journalCode(journalMeta);
    if (code !== undefined) batch.journalCode = code;
    return batch;
  }

  /** The journal's code: its publisher-id, or its only journal-id, when that is a code at all. */
  private journalCode(journalMeta: Element): string | undefined {
    const ids = children(journalMeta, 'journal-id');
    const id = ids.find((e) => attr(e, 'journal-id-type') === 'publisher-id') ?? (ids.length === 1 ? ids[0] : undefined);
    return id === undefined ? undefined : textOf(id);
  }

  private journal(journalMeta: Element): JournalFacts {
    const facts: JournalFacts = {};
    const names: Texts = {};
    for (const group of children(journalMeta, 'journal-title-group')) {
      for (const title of [...children(group, 'journal-title'), ...descendants(group, 'trans-title')]) this.put(names, title, this.textLang(title));
    }
    if (names.fa !== undefined) facts.nameFa = names.fa;
    if (names.en !== undefined) facts.nameEn = names.en;
    for (const issn of children(journalMeta, 'issn')) {
      const value = textOf(issn).toUpperCase();
      if (!validIssn(value)) this.fail(issn, `"${textOf(issn)}" is no ISSN: NNNN-NNNC, with the right check digit`);
      const format = attr(issn, 'publication-format') ?? attr(issn, 'pub-type') ?? '';
      if (/^(print|ppub)$/i.test(format)) facts.issnPrint = value;
      else if (/^(electronic|online|epub)$/i.test(format)) facts.issnOnline = value;
      else this.fail(issn, `says neither print nor electronic (publication-format="${format}"): which ISSN is it?`);
    }
    const publisher = child(journalMeta, 'publisher');
    if (publisher !== undefined) {
      const names: Texts = {};
      for (const name of children(publisher, 'publisher-name')) this.put(names, name, this.textLang(name));
      if (names.fa !== undefined) facts.publisherFa = names.fa;
      if (names.en !== undefined) facts.publisherEn = names.en;
    }
    return facts;
  }

  /**
   * The issue: its serial number from this repository's custom-meta, else `issue` when the file
   * has no volume; with a volume and no serial, `issue` is the number within the volume and the
   * store finds the serial. The Solar Hijri date is the Gregorian publication date, converted.
   */
  private issue(meta: Element): IssuePatch {
    const issueElement = this.required(meta, 'issue');
    const issueNumber = this.integer(issueElement);
    const volumeElement = child(meta, 'volume');
    const volume = volumeElement === undefined ? null : this.integer(volumeElement);
    const custom = this.customMeta(meta);
    const serialElement = custom.get(JATS_CUSTOM_META.serial);
    const serial = serialElement === undefined ? null : this.integer(serialElement);
    const issue: IssuePatch = { number: serial ?? (volume === null ? issueNumber : null), line: lineOf(issueElement), volume };
    if (serial !== null && serial !== issueNumber) issue.numberInVolume = issueNumber;
    else if (serial === null && volume !== null) issue.numberInVolume = issueNumber;

    const season = custom.get(JATS_CUSTOM_META.season);
    if (season !== undefined) {
      try {
        const { fa, en } = readSeasons(textOf(season));
        issue.seasonFa = fa;
        issue.seasonEn = en;
      } catch {
        this.fail(season, `"${textOf(season)}" is no season (بهار, تابستان, پاییز, زمستان, or two of them joined by و)`);
      }
    }
    const year = custom.get(JATS_CUSTOM_META.solarYear);
    if (year !== undefined) issue.yearSolar = this.integer(year);

    const published = this.pubDate(meta);
    if (published !== null) {
      issue.datePublished = published;
      issue.dateSolar = gregorianToSolarHijri(published);
    }
    return issue;
  }

  /** This repository's custom metadata, by name: facts of the issue that JATS has no element for. */
  private customMeta(meta: Element): Map<string, Element> {
    const found = new Map<string, Element>();
    for (const group of children(meta, 'custom-meta-group')) {
      for (const item of children(group, 'custom-meta')) {
        const name = child(item, 'meta-name');
        const value = child(item, 'meta-value');
        if (name !== undefined && value !== undefined) found.set(textOf(name), value);
      }
    }
    return found;
  }

  /**
   * The issue's date: its print or collection date before an article's own online date. The store
   * keeps an issue's date to the day, so a date without its day (a collection year) is passed over.
   */
  private pubDate(meta: Element): string | null {
    const rank = (d: Element): number => {
      const type = `${attr(d, 'date-type') ?? ''} ${attr(d, 'pub-type') ?? ''} ${attr(d, 'publication-format') ?? ''}`;
      if (/collection|ppub|print/.test(type)) return 0;
      if (/pub|epub|electronic/.test(type)) return 1;
      return 2;
    };
    const dates = children(meta, 'pub-date')
      .map((element) => ({ rank: rank(element), value: this.date(element, false) }))
      .filter((d) => d.value.length === 10)
      .sort((a, b) => a.rank - b.rank);
    return dates[0]?.value ?? null;
  }

  /** A date element as ISO 8601: `YYYY-MM-DD`, or `YYYY-MM` and `YYYY` unless a full date is needed. */
  private date(element: Element, full: boolean): string {
    const iso = attr(element, 'iso-8601-date');
    const pad = (e: Element | undefined) => (e === undefined ? undefined : textOf(e).padStart(2, '0'));
    const year = child(element, 'year');
    const value = iso ?? [year === undefined ? '' : textOf(year), pad(child(element, 'month')), pad(child(element, 'day'))].filter((p) => p !== undefined).join('-');
    const ok = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value) && (value.length < 10 || isCalendarDate(value));
    if (!ok) this.fail(element, `"${value}" is no date`);
    if (full && value.length !== 10) this.fail(element, `"${value}" is not a whole date: the repository keeps received and accepted dates to the day`);
    return value;
  }

  private integer(element: Element): number {
    const value = textOf(element);
    if (!/^[1-9]\d{0,8}$/.test(value)) this.fail(element, `"${value}" is not a number`);
    return Number(value);
  }

  /** The language of a text: its own or inherited `xml:lang`, else its script. Other languages are refused. */
  private textLang(element: Element): Lang {
    const tag = inheritedLang(element);
    return tag === undefined ? this.scriptOf(element) : this.ours(element, tag);
  }

  /** The language of a name: its own `xml:lang`, else its script (names are printed in their own script). */
  private nameLang(element: Element): Lang {
    const tag = attr(element, 'xml:lang');
    return tag === undefined || tag === '' ? this.scriptOf(element) : this.ours(element, tag);
  }

  private ours(element: Element, tag: string): Lang {
    const lang = ourLang(tag);
    if (lang !== 'fa' && lang !== 'en') this.fail(element, `is in ${tag}: the repository holds Persian and English text only; remove it from the file`);
    return lang;
  }

  private scriptOf(element: Element): Lang {
    return scriptLang(textOf(element)) ?? this.fail(element, 'has no xml:lang, and its text is in neither Persian nor Latin script');
  }

  /** Puts a text under its language; a second one in the same language is refused. */
  private put(texts: Texts, element: Element, lang: Lang, text = textOf(element)): void {
    if (text === '') return;
    if (texts[lang] !== undefined && texts[lang] !== text) this.fail(element, `a second ${lang === 'fa' ? 'Persian' : 'English'} text where one is expected`);
    texts[lang] = text;
  }

  private article(root: Element, meta: Element): ArticlePatch {
    const patch: ArticlePatch = { line: lineOf(meta), pageStart: null, pageEnd: null };
    this.ids(meta, patch);
    this.pages(meta, patch);
    this.titles(meta, patch);
    this.abstracts(meta, patch);
    this.keywords(meta, patch);
    const authors = this.authors(meta);
    if (authors.length > 0) patch.authors = authors;
    this.type(root, meta, patch);
    this.history(meta, patch);
    this.permissions(meta, patch);
    this.uris(meta, patch);
    const funding = this.funding(meta);
    if (funding.length > 0) patch.funding = funding;
    return patch;
  }

  private ids(meta: Element, patch: ArticlePatch): void {
    for (const id of children(meta, 'article-id')) {
      const type = attr(id, 'pub-id-type');
      const value = textOf(id);
      if (type === 'doi') {
        const doi = value.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '').replace(/^doi:/i, '');
        if (!/^10\.\d{4,9}\/\S+$/.test(doi)) this.fail(id, `"${value}" is no DOI`);
        patch.doi = doi;
      }
      // The repository's own identifier, from its own export: the record it was.
      const own = `oai:${this.context.repositoryIdentifier}:`;
      if (type === 'other' && attr(id, 'assigning-authority') === this.context.repositoryIdentifier && value.startsWith(own)) {
        patch.assignedId = value.slice(own.length);
      }
    }
  }

  private pages(meta: Element, patch: ArticlePatch): void {
    const first = child(meta, 'fpage');
    if (first === undefined) return;
    // A first page alone does not say where the article ends, and the store keeps both or neither.
    const last = child(meta, 'lpage') ?? this.fail(first, 'a first page without <lpage>: give the last page too');
    const start = this.integer(first);
    const end = this.integer(last);
    if (end < start) this.fail(last, `the last page ${end} comes before the first, ${start}`);
    patch.pageStart = start;
    patch.pageEnd = end;
  }

  private titles(meta: Element, patch: ArticlePatch): void {
    const group = this.required(meta, 'title-group');
    const titles: Texts = {};
    const withSubtitle = (title: Element, subtitle: Element | undefined) =>
      subtitle === undefined ? textOf(title) : `${textOf(title)}: ${textOf(subtitle)}`;
    const main = child(group, 'article-title');
    if (main !== undefined) this.put(titles, main, this.textLang(main), withSubtitle(main, child(group, 'subtitle')));
    for (const trans of children(group, 'trans-title-group')) {
      const title = child(trans, 'trans-title');
      if (title !== undefined) this.put(titles, title, this.textLang(title), withSubtitle(title, child(trans, 'trans-subtitle')));
    }
    if (titles.fa !== undefined) Object.assign(patch, { titleFa: titles.fa, titleSourceFa: this.file });
    if (titles.en !== undefined) Object.assign(patch, { titleEn: titles.en, titleSourceEn: this.file });
  }

  /**
   * An abstract's paragraphs, without its heading, as one text (the store keeps abstracts as one
   * run of text); abstracts of a special kind (graphical, teaser) are not the abstract.
   */
  private abstracts(meta: Element, patch: ArticlePatch): void {
    const texts: Texts = {};
    for (const element of [...children(meta, 'abstract'), ...children(meta, 'trans-abstract')]) {
      const type = attr(element, 'abstract-type');
      if (type !== undefined && type !== 'summary' && type !== 'abstract') continue;
      const paragraphs = descendants(element, 'p').map(textOf).filter((p) => p !== '');
      const text = paragraphs.length > 0 ? paragraphs.join(' ') : textOf(element);
      this.put(texts, element, this.textLang(element), text);
    }
    if (texts.fa !== undefined) patch.abstractFa = texts.fa;
    if (texts.en !== undefined) patch.abstractEn = texts.en;
  }

  private keywords(meta: Element, patch: ArticlePatch): void {
    const lists: Record<Lang, string[]> = { fa: [], en: [] };
    for (const group of children(meta, 'kwd-group')) {
      for (const kwd of children(group, 'kwd')) {
        const text = textOf(kwd);
        const list = lists[this.textLang(kwd)];
        if (text !== '' && !list.includes(text)) list.push(text);
      }
    }
    if (lists.fa.length > 0) patch.keywordsFa = lists.fa;
    if (lists.en.length > 0) patch.keywordsEn = lists.en;
  }

  private authors(meta: Element): Author[] {
    const affById = new Map<string, Element>();
    for (const aff of [...descendants(meta, 'aff'), ...descendants(meta, 'aff-alternatives')]) {
      const id = attr(aff, 'id');
      if (id !== undefined) affById.set(id, aff);
    }
    const authors: Author[] = [];
    for (const group of children(meta, 'contrib-group')) {
      for (const contrib of children(group, 'contrib')) {
        const type = attr(contrib, 'contrib-type');
        if (type !== undefined && type !== 'author') continue;
        authors.push(this.author(contrib, affById));
      }
    }
    return authors;
  }

  private author(contrib: Element, affById: Map<string, Element>): Author {
    const names: Texts = {};
    const holders = [contrib, ...children(contrib, 'name-alternatives')];
    for (const holder of holders) {
      for (const name of [...children(holder, 'name'), ...children(holder, 'string-name')]) this.put(names, name, this.nameLang(name), this.personName(name));
    }
    // A group author is named by its collab.
    if (names.fa === undefined && names.en === undefined) for (const collab of children(contrib, 'collab')) this.put(names, collab, this.nameLang(collab));
    if (names.fa === undefined && names.en === undefined) this.fail(contrib, 'an author without a name');
    const corresponding =
      attr(contrib, 'corresp') === 'yes' || children(contrib, 'xref').some((x) => attr(x, 'ref-type') === 'corresp');
    const author: Author = { nameFa: names.fa ?? null, nameEn: names.en ?? null, corresponding };
    for (const id of children(contrib, 'contrib-id')) {
      if (!/^orcid$/i.test(attr(id, 'contrib-id-type') ?? '')) continue;
      author.orcid = canonicalOrcid(textOf(id)) ?? this.fail(id, `"${textOf(id)}" is no ORCID iD: its check digit is wrong, or it is not 16 digits`);
    }
    const affs = [...children(contrib, 'aff'), ...children(contrib, 'aff-alternatives')];
    for (const xref of children(contrib, 'xref')) {
      if (attr(xref, 'ref-type') !== 'aff') continue;
      for (const rid of (attr(xref, 'rid') ?? '').split(/\s+/).filter(Boolean)) {
        affs.push(affById.get(rid) ?? this.fail(xref, `points to affiliation "${rid}", which the file does not have`));
      }
    }
    const affiliations = affs.map((a) => this.affiliation(a));
    if (affiliations.length > 0) author.affiliations = affiliations;
    return author;
  }

  /** A person's name as printed: given names first, unless the name says it is eastern (surname first). */
  private personName(name: Element): string {
    if (name.localName === 'string-name' && child(name, 'surname') === undefined) return textOf(name);
    const surname = child(name, 'surname');
    const given = child(name, 'given-names');
    const parts = [given, surname].filter((p): p is Element => p !== undefined).map(textOf);
    return (attr(name, 'name-style') === 'eastern' ? parts.reverse() : parts).join(' ');
  }

  /** An affiliation: its institutions' names by language, and its ROR id. Alternatives in several languages are one affiliation. */
  private affiliation(element: Element): Affiliation {
    const affs = element.localName === 'aff-alternatives' ? children(element, 'aff') : [element];
    const names: Texts = {};
    let ror: string | null = null;
    for (const aff of affs) {
      const institutions = descendants(aff, 'institution');
      for (const id of descendants(aff, 'institution-id')) {
        if (!/^ror$/i.test(attr(id, 'institution-id-type') ?? '')) continue;
        ror = canonicalRor(textOf(id)) ?? this.fail(id, `"${textOf(id)}" is no ROR id: its checksum is wrong`);
      }
      if (institutions.length === 0) {
        // An affiliation written as one line of text, without its label.
        const label = child(aff, 'label');
        const text = textOf(aff).replace(label === undefined ? '' : textOf(label), '').trim();
        if (text !== '') this.put(names, aff, this.nameLang(aff), text);
        continue;
      }
      const byLang: Record<Lang, string[]> = { fa: [], en: [] };
      for (const institution of institutions) {
        const lang = attr(institution, 'xml:lang') !== undefined ? this.nameLang(institution) : (attr(aff, 'xml:lang') !== undefined ? this.nameLang(aff) : this.nameLang(institution));
        byLang[lang].push(textOf(institution));
      }
      for (const lang of ['fa', 'en'] as const) if (byLang[lang].length > 0) this.put(names, aff, lang, byLang[lang].join(', '));
    }
    if (names.fa === undefined && names.en === undefined) this.fail(element, 'an affiliation without a name');
    return { nameFa: names.fa ?? null, nameEn: names.en ?? null, ror };
  }

  /** The COAR type this repository wrote in its categories, else what the JATS article-type says beyond a plain article. */
  private type(root: Element, meta: Element, patch: ArticlePatch): void {
    const categories = child(meta, 'article-categories');
    for (const group of categories === undefined ? [] : children(categories, 'subj-group')) {
      if (attr(group, 'vocab-identifier') !== COAR_TYPES_VOCABULARY) continue;
      const subject = child(group, 'subject');
      const uri = subject === undefined ? undefined : attr(subject, 'vocab-term-identifier');
      if (subject === undefined || uri === undefined || !uri.startsWith(COAR_TYPES_VOCABULARY)) this.fail(group, 'a COAR resource type without its URI');
      patch.resourceType = uri;
      return;
    }
    // research-article is what most platforms write for any article, so it says no more than a
    // journal article does; only the other types are facts worth keeping.
    const type = attr(root, 'article-type');
    const uri = type === undefined ? undefined : JOURNAL_ARTICLE_TYPES[type];
    if (uri !== undefined) patch.resourceType = uri;
  }

  private history(meta: Element, patch: ArticlePatch): void {
    const history = child(meta, 'history');
    for (const date of history === undefined ? [] : children(history, 'date')) {
      const type = attr(date, 'date-type');
      if (type === 'received') patch.dateReceived = this.date(date, true);
      if (type === 'accepted') patch.dateAccepted = this.date(date, true);
    }
  }

  /** The licence URL, and free_to_read as open access: NISO ALI, as JATS 1.3 carries them. */
  private permissions(meta: Element, patch: ArticlePatch): void {
    const permissions = child(meta, 'permissions');
    if (permissions === undefined) return;
    if (children(permissions, 'free_to_read').length > 0) patch.accessRights = OPEN_ACCESS;
    for (const license of children(permissions, 'license')) {
      const ref = child(license, 'license_ref');
      const url = (ref === undefined ? undefined : textOf(ref)) ?? attr(license, 'xlink:href');
      if (url === undefined || url === '') continue;
      if (!/^https?:\/\/\S+$/.test(url)) this.fail(ref ?? license, `"${url}" is no licence URL`);
      patch.license = url;
    }
  }

  /**
   * self-uri: with a media type, a full text; without one, the article's landing page, unless it
   * is this repository's own page for it, which the repository makes itself.
   */
  private uris(meta: Element, patch: ArticlePatch): void {
    const ownPages = landingPageUrl(this.context.publicUrl, '');
    const fullText: FullText[] = [];
    for (const uri of children(meta, 'self-uri')) {
      const href = attr(uri, 'xlink:href') ?? '';
      if (!/^https?:\/\/\S+$/.test(href)) this.fail(uri, `"${href}" is no http(s) link`);
      const type = attr(uri, 'content-type');
      if (type !== undefined && type !== '') {
        if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(type)) this.fail(uri, `content-type "${type}" is no media type (application/pdf, …)`);
        const lang = attr(uri, 'xml:lang');
        fullText.push({ url: href, mediaType: type, lang: lang === undefined ? null : this.ours(uri, lang) });
      } else if (!href.startsWith(ownPages) && patch.landingUrl === undefined) {
        patch.landingUrl = href;
      }
    }
    if (fullText.length > 0) patch.fullText = fullText;
  }

  private funding(meta: Element): Funding[] {
    const out: Funding[] = [];
    for (const group of children(meta, 'funding-group')) {
      for (const award of children(group, 'award-group')) {
        const number = child(award, 'award-id');
        const title = child(award, 'award-name');
        const titles: Texts = {};
        if (title !== undefined) this.put(titles, title, this.textLang(title));
        for (const source of children(award, 'funding-source')) {
          const names: Texts = {};
          const institutions = descendants(source, 'institution');
          if (institutions.length === 0) this.put(names, source, this.nameLang(source));
          for (const institution of institutions) this.put(names, institution, this.nameLang(institution));
          let funderId: string | null = null;
          for (const id of descendants(source, 'institution-id')) {
            const type = (attr(id, 'institution-id-type') ?? '').toLowerCase();
            const value = textOf(id);
            if (type === 'ror') funderId = canonicalRor(value) ?? this.fail(id, `"${value}" is no ROR id: its checksum is wrong`);
            else if (['doi', 'fundref', 'funder-id', 'crossref-funder-id'].includes(type)) {
              funderId = canonicalFunderId(value) ?? this.fail(id, `"${value}" is no Crossref Funder ID (10.13039/…)`);
            }
          }
          if (names.fa === undefined && names.en === undefined) this.fail(source, 'a funder without a name');
          out.push({
            funderNameFa: names.fa ?? null,
            funderNameEn: names.en ?? null,
            funderId,
            awardNumber: number === undefined ? null : textOf(number) || null,
            awardTitleFa: titles.fa ?? null,
            awardTitleEn: titles.en ?? null,
          });
        }
      }
    }
    return out;
  }
}
