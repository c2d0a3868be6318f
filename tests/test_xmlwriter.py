"""cxhub.xmlwriter writes what the standard library's XMLGenerator writes, byte for byte,
whatever the text: feeds and OPML lists went out through the generator before, and readers
and validators must see no change."""

import io
from xml.dom import minidom
from xml.sax.saxutils import XMLGenerator

from hypothesis import given, settings
from hypothesis import strategies as st

from cxhub.xmlwriter import XMLWriter, strip_control_chars

NAMESPACES = {
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:media": "http://search.yahoo.com/mrss/",
}
NAMES = st.sampled_from(["rss", "item", "title", "link", "category", "atom:link", "media:content"])
# Any text: quotes of both kinds, &, <, >, new lines, tabs, control characters, surrogates.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\"'&<>\n\r\t \x00\x0b\x1f\ufffe\ud800é€")),
        st.characters(),
    ),
    max_size=12,
)
ATTRS = st.none() | st.dictionaries(
    st.sampled_from(["href", "rel", "type", "domain", "length"]),
    st.one_of(st.none(), TEXT, st.integers()),
    max_size=3,
)


class Reference:
    """The writer as it was, over XMLGenerator."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self._xml = XMLGenerator(self.buffer, "utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def processing_instruction(self, target, data):
        self._xml.processingInstruction(target, strip_control_chars(data))

    def start(self, name, attrs=None):
        self._xml.ignorableWhitespace("\n")
        self._xml.startElement(name, self._clean(attrs))

    def end(self, name):
        self._xml.ignorableWhitespace("\n")
        self._xml.endElement(name)

    def element(self, name, text=None, attrs=None):
        self.start(name, attrs)
        if text:
            self._xml.characters(strip_control_chars(text))
        self._xml.endElement(name)

    def getvalue(self):
        self._xml.endDocument()
        return self.buffer.getvalue() + b"\n"

    @staticmethod
    def _clean(attrs):
        return {k: strip_control_chars(str(v)) for k, v in (attrs or {}).items() if v is not None}


def steps(depth: int = 0):
    element = st.tuples(st.just("element"), NAMES, st.none() | TEXT, ATTRS)
    if depth >= 2:
        return st.lists(element, max_size=4)
    nested = st.tuples(st.just("nest"), NAMES, ATTRS, st.deferred(lambda: steps(depth + 1)))
    return st.lists(st.one_of(element, nested), max_size=4)


def write(writer, program) -> None:
    for step in program:
        if step[0] == "element":
            _, name, text, attrs = step
            writer.element(name, text, attrs)
        else:
            _, name, attrs, inner = step
            writer.start(name, attrs)
            write(writer, inner)
            writer.end(name)


@settings(max_examples=300)
@given(stylesheet=st.none() | TEXT, root=ATTRS, program=steps())
def test_the_writer_writes_what_xmlgenerator_writes(stylesheet, root, program):
    ours, theirs = XMLWriter(), Reference()
    for writer in (ours, theirs):
        if stylesheet is not None:
            writer.processing_instruction("xml-stylesheet", stylesheet)
        writer.start("rss", NAMESPACES | (root or {}))
        write(writer, program)
        writer.end("rss")
    written = ours.getvalue()
    assert written == theirs.getvalue()
    minidom.parseString(written)  # well-formed, whatever the text


def test_an_empty_element_is_short_and_text_is_escaped():
    writer = XMLWriter()
    writer.start("channel")
    writer.element("title", "Quotes \" and ' & <tags>\x00")
    writer.element("link", None, {"href": 'a"b', "rel": None, "n": 3})
    writer.element("category", "\x01")  # nothing left of it: empty
    writer.end("channel")
    assert writer.getvalue().decode() == (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "\n<channel>"
        "\n<title>Quotes \" and ' &amp; &lt;tags&gt;</title>"
        '\n<link href=\'a"b\' n="3"/>'
        "\n<category/>"
        "\n</channel>\n"
    )
