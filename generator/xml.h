/* xml: the one XML writer. Escapes text and attribute values and makes any
 * input well-formed XML 1.0 (https://www.w3.org/TR/xml/#charsets): used for
 * the Atom feed, sitemap.xml and the JUnit report. Element layout stays with
 * the callers; these helpers only write what they are given, escaped. */
#ifndef CHARTER_XML_H
#define CHARTER_XML_H

#include "buf.h"

/* Appends s[0..len) escaped for XML, valid both as element text and as a
 * quoted attribute value: & < > " ' become &amp; &lt; &gt; &quot; &#39;.
 * Characters XML 1.0 does not allow are dropped, not replaced: they carry no
 * text (a stray \x01 or ESC in a commit subject, a \f in a title) and an
 * entity for them would be rejected too. That is the C0 controls other than
 * tab, LF and CR (NUL included), and U+FFFE and U+FFFF. Tab, LF and CR are
 * kept as they are (a parser reads them as spaces inside attribute values).
 * Invalid UTF-8 bytes become U+FFFD, one per byte. */
void xml_escape(buf *out, const char *s, size_t len);
/* xml_escape of the NUL-terminated s; NULL appends nothing. */
void xml_escapes(buf *out, const char *s);
/* Appends `indent` spaces, <name>text</name> and a newline; text is escaped
 * (NULL as empty), name is written as it is. */
void xml_elem(buf *out, int indent, const char *name, const char *text);
/* Appends ` name="value"`; value is escaped (NULL as empty), name is written
 * as it is. */
void xml_attr(buf *out, const char *name, const char *value);

#endif
