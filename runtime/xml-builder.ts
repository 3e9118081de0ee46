// The part of xmlbuilder 13 that twilio's TwiML classes use (create, dec, ele, txt, comment,
// commentBefore, commentAfter, end), writing the same bytes and refusing the same characters.
// The build puts it in place of xmlbuilder, which is 59 KB of every 92 KB bundle
// (scripts/build.ts); tests/runtime-xml-builder.test.ts holds the two to the same output.

type Scalar = string | number | boolean;
type AttributeValue = Scalar | Scalar[] | null | undefined;
type Attributes = Record<string, AttributeValue>;

interface Stringify {
  attValue?: (this: { attEscape(text: string): string }, value: AttributeValue) => string;
}

/** XML 1.0 forbids these: most C0 controls, U+FFFE, U+FFFF and unpaired surrogates. */
const ILLEGAL_CHAR = /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFD]*$/;

function legal(text: string): string {
  const bad = ILLEGAL_CHAR.exec(text);
  if (bad) throw new Error(`Invalid character in string: ${text} at index ${bad.index}`);
  return text;
}

const textEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
const attEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/\t/g, "&#x9;").replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;");

const isObject = (value: unknown): value is Attributes => !!value && (typeof value === "object" || typeof value === "function");

class XmlDocument {
  declaration = "";
  readonly before: string[] = [];
  readonly after: string[] = [];
  root!: XmlElement;

  toString(): string {
    return this.declaration + this.before.join("") + this.root.toString() + this.after.join("");
  }
}

class XmlElement {
  private readonly attributes: string[] = [];
  private readonly children: (XmlElement | string)[] = [];

  constructor(
    private readonly document: XmlDocument,
    private readonly stringify: Stringify,
    private readonly name: string,
    attributes: Attributes,
  ) {
    if (!NAME.test(name)) throw new Error(`Invalid character in name: ${name}`);
    for (const [key, value] of Object.entries(attributes)) {
      if (value == null) continue;
      const written = this.stringify.attValue ? this.stringify.attValue.call({ attEscape }, value) : legal(attEscape(`${value}`));
      this.attributes.push(` ${key}="${written}"`);
    }
  }

  dec(version = "1.0", encoding?: string): this {
    this.document.declaration = `<?xml version="${version}"${encoding ? ` encoding="${encoding}"` : ""}?>`;
    return this;
  }

  /** xmlbuilder's argument juggling, step for step: attributes and text trade places when the attributes are not an object. */
  ele(name: string, attributes?: Attributes | Scalar | null, text?: Scalar | null): XmlElement {
    let attrs: unknown = attributes;
    let body: unknown = text;
    if (attrs === null && body == null) [attrs, body] = [{}, null];
    if (attrs == null) attrs = {};
    if (!isObject(attrs)) [body, attrs] = [attrs, body];
    // xmlbuilder leaves out an element whose text is null (not undefined) at this point.
    const left = body === null;
    if (!attrs) attrs = {};
    if (!isObject(attrs)) [body, attrs] = [attrs, body];
    const child = new XmlElement(this.document, this.stringify, name, isObject(attrs) ? attrs : {});
    if (left) return child;
    if (body != null) child.txt(body as Scalar);
    this.children.push(child);
    return child;
  }

  txt(text: Scalar): this {
    this.children.push(legal(textEscape(`${text}` || "")));
    return this;
  }

  comment(text: string): this {
    this.children.push(comment(text));
    return this;
  }

  commentBefore(text: string): this {
    this.siblings().before.push(comment(text));
    return this;
  }

  commentAfter(text: string): this {
    this.siblings().after.push(comment(text));
    return this;
  }

  end(): string {
    return this.document.toString();
  }

  toString(): string {
    const open = `<${this.name}${this.attributes.join("")}`;
    if (this.children.every((c) => c === "")) return `${open}/>`;
    return `${open}>${this.children.map(String).join("")}</${this.name}>`;
  }

  /** Comments beside an element go in its parent; only the root's are used by TwiML. */
  private siblings(): XmlDocument {
    if (this.document.root !== this) throw new Error("Only the root element can have comments beside it here.");
    return this.document;
  }
}

function comment(text: string): string {
  const value = `${text}` || "";
  if (/--/.test(value)) throw new Error(`Comment text cannot contain double-hypen: ${value}`);
  return `<!-- ${legal(value)} -->`;
}

export function create(name: string, options: { stringify?: Stringify } = {}): XmlElement {
  const document = new XmlDocument();
  document.root = new XmlElement(document, options.stringify ?? {}, name, {});
  return document.root;
}

export default { create };
