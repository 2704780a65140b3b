/* sesame-aaf-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small state machine over the bytes of an AAF file that mends, before
 * libxml2 sees them, the faults real exports carry: a <modification> closed
 * by </attr> (ministry delta files), character references to characters
 * XML forbids (&#7;), raw control bytes, HTML entities, bare ampersands,
 * bytes that are not UTF-8 in a file that says nothing of its encoding.
 * libxml2 gives up at some of these faults and the records after them
 * would be lost; here each repair keeps the length of lines intact and
 * is reported with its line.
 *
 * UTF-8, ISO-8859-x and Windows-125x are filtered as they are; UTF-16 and
 * UTF-32 are turned into UTF-8 first. What can never be an AAF file (a
 * binary file, an archive, an encoding that cannot be read, elements
 * nested without end, content after the root element) stops the filter:
 * the reader then refuses the file rather than import part of it.
 *
 * The file comes in blocks of any size, cut anywhere: the bytes passed on,
 * the warnings and their order, and where the filter stops depend on the
 * file alone, never on its blocks (tests/test-aaf-filter.c cuts files at
 * every position, and fuzz/fuzz-aaf-filter.c compares the two readings).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-aaf-filter-private.h"

/* Bytes held back until the encoding is known. */
#define HEAD_SIZE 1024
/* Occurrences of one kind of repair reported one by one per file. */
#define DETAILED_WARNINGS 5

typedef enum
{
  MODE_HEAD,   /* encoding not known yet */
  MODE_UTF8,   /* UTF-8, declared or by default: invalid bytes are mended */
  MODE_BYTES,  /* a declared single-byte encoding */
} Mode;

/* How the bytes of the file are turned into the bytes the modes read. */
typedef enum
{
  INPUT_AS_IS,
  INPUT_UTF16LE,
  INPUT_UTF16BE,
  INPUT_UTF32LE,
  INPUT_UTF32BE,
} Input;

/* A code unit of UTF-16 or UTF-32 that is not a character: where its
 * replacement starts in the transcoded bytes, and its line. */
typedef struct
{
  gsize   offset;
  guint32 unit;
  guint   line;
} Replacement;

typedef enum
{
  S_TEXT,
  S_LT,          /* after "<" */
  S_START_NAME,  /* in the name of a start tag */
  S_START_ATTRS, /* in a start tag, after its name */
  S_END_TAG,     /* "</…" held until ">" */
  S_BANG,        /* "<!…" held until it is known what follows */
  S_COMMENT,
  S_CDATA,
  S_PI,
  S_DOCTYPE,
  S_AMP,         /* "&…" held until ";" */
} State;

typedef enum
{
  W_CONTROL,
  W_CHARREF,
  W_HTML_ENTITY,
  W_UNKNOWN_ENTITY,
  W_AMPERSAND,
  W_LESS_THAN,
  W_MISMATCH,
  W_UNCLOSED,
  W_STRAY_END,
  W_ENCODING,
  W_NONCHAR,
  N_WARNINGS
} WarningKind;

struct _SesameAafFilter
{
  SesameAafFilterWarning  warning;
  gpointer                user_data;

  Mode        mode;
  GByteArray *head;
  State       state;
  guint       line;
  guint       tag_line;
  guint       pending_line;
  GString    *pending;
  GString    *name;
  char        quote;
  char        last;
  guint       match;
  guint       brackets;

  guint8      carry[4];
  guint       carry_len;

  /* UTF-16 and UTF-32: a code unit cut by the end of a block, a high
   * surrogate waiting for its pair, the lines transcoded so far. */
  Input       input;
  const char *encoding;
  GByteArray *transcoded;
  guint8      unit[4];
  guint       unit_len;
  gunichar    high_surrogate;
  guint       transcode_line;
  /* Code units replaced in the bytes transcoded and not read yet: each is
   * reported when the reading reaches it, so that the warnings come in the
   * order of the file however it was cut. */
  GArray     *replacements;

  /* The bytes of the start tag being read. */
  gsize       tag_bytes;

  /* Once set, nothing more is passed on. */
  SesameAafFault fault;
  guint       fault_line;
  guint       root_end_line;
  char        declared[32];

  /* The open elements: their names one after the other in names, and
   * where each starts in starts. */
  GString    *names;
  GArray     *starts;
  char       *open_text;   /* the innermost one's name as UTF-8, for messages */
  gboolean    root_seen;
  gboolean    root_closed;

  guint      *lines;
  guint       lines_first;
  guint       lines_len;
  guint       lines_cap;

  guint       counts[N_WARNINGS];
  guint       more_line[N_WARNINGS];

  /* Where process() writes: a cursor into out, grown on demand. */
  GByteArray *out;
  guint8     *cursor;
  guint8     *limit;
};

/* HTML's Latin-1 entities name U+00A0 … U+00FF in order. */
static const char * const html_latin1[96] = {
  "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
  "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
  "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
  "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
  "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
  "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
  "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
  "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
  "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
  "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
  "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
  "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

static const struct { const char *name; gunichar c; } html_other[] = {
  { "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 },
  { "Yuml", 0x178 }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 },
  { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "hellip", 0x2026 },
  { "euro", 0x20AC },
};

/* Windows-1252 where it differs from Latin-1: a French desk's files. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* Bytes that a state copies as they are, in runs, without looking at each:
 * one bit per state. Everything else goes through step(). In a
 * single-byte encoding, high bytes are plain everywhere; in UTF-8 they are
 * checked first. */
enum
{
  PLAIN_TEXT   = 1 << 0,  /* text: not < & */
  PLAIN_NAME   = 1 << 1,  /* a start tag's name */
  PLAIN_ATTRS  = 1 << 2,  /* a start tag outside quotes */
  PLAIN_DQUOTE = 1 << 3,  /* inside "…" */
  PLAIN_SQUOTE = 1 << 4,  /* inside '…' */
  PLAIN_END    = 1 << 5,  /* an end tag's name */
};

static guint8 plain_utf8[256];
static guint8 plain_bytes[256];

static void
init_tables (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 0; c < 256; c++)
        {
          guint8 bits = 0;

          /* Control bytes are mended in step(); newlines are counted in
           * text runs, and in step() elsewhere. */
          if (c == '\n')
            bits |= PLAIN_TEXT;
          if ((c >= 0x20 && c < 0x80) || c == '\t' || c == '\r')
            {
              if (c != '<' && c != '&')
                bits |= PLAIN_TEXT;
              if (c != ' ' && c != '\t' && c != '\r' && c != '>' && c != '/')
                bits |= PLAIN_NAME;
              if (c != '"' && c != '\'' && c != '>')
                bits |= PLAIN_ATTRS;
              if (c != '"')
                bits |= PLAIN_DQUOTE;
              if (c != '\'')
                bits |= PLAIN_SQUOTE;
              if (c != '>')
                bits |= PLAIN_END;
            }
          plain_utf8[c] = bits;
          plain_bytes[c] = c >= 0x80 ? 0xFF : bits;
        }
      g_once_init_leave (&initialized, 1);
    }
}

static void step (SesameAafFilter *self, const guint8 *unit, guint len);
static inline gboolean is_space (guint8 c);
static void init_tag_tables (void);

static void
warn (SesameAafFilter *self,
      WarningKind      kind,
      guint            line,
      const char      *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
warn (SesameAafFilter *self,
      WarningKind      kind,
      guint            line,
      const char      *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (++self->counts[kind] > DETAILED_WARNINGS)
    {
      if (self->more_line[kind] == 0)
        self->more_line[kind] = line;
      return;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* The text quoted from the file is in its own encoding, or not text at
   * all: the warning ends up in a window, a JSON document and the store. */
  if (!g_utf8_validate (message, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (message, -1);

      self->warning (line, valid, self->user_data);
      return;
    }
  self->warning (line, message, self->user_data);
}

/* The first fault stops the filter; later ones are consequences. */
static void
set_fault (SesameAafFilter *self,
           SesameAafFault   fault,
           guint            line)
{
  if (self->fault != SESAME_AAF_FAULT_NONE)
    return;
  self->fault = fault;
  self->fault_line = line;
}

SesameAafFault
_sesame_aaf_filter_get_fault (SesameAafFilter  *self,
                              guint            *line,
                              guint            *root_end_line,
                              const char      **encoding)
{
  if (line != NULL)
    *line = self->fault_line;
  if (root_end_line != NULL)
    *root_end_line = self->root_end_line;
  if (encoding != NULL)
    *encoding = self->declared;
  return self->fault;
}

const char *
_sesame_aaf_filter_get_encoding (SesameAafFilter *self)
{
  return self->encoding;
}

SesameAafFilter *
_sesame_aaf_filter_new (SesameAafFilterWarning warning,
                        gpointer               user_data)
{
  SesameAafFilter *self = g_new0 (SesameAafFilter, 1);

  init_tables ();
  init_tag_tables ();
  self->warning = warning;
  self->user_data = user_data;
  self->mode = MODE_HEAD;
  self->head = g_byte_array_new ();
  self->state = S_TEXT;
  self->line = 1;
  self->pending = g_string_sized_new (64);
  self->name = g_string_sized_new (32);
  self->names = g_string_sized_new (256);
  self->starts = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 16);
  self->lines_cap = 256;
  self->lines = g_new (guint, self->lines_cap);
  return self;
}

void
_sesame_aaf_filter_free (SesameAafFilter *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_pointer (&self->transcoded, g_byte_array_unref);
  g_clear_pointer (&self->replacements, g_array_unref);
  g_string_free (self->pending, TRUE);
  g_string_free (self->name, TRUE);
  g_string_free (self->names, TRUE);
  g_array_unref (self->starts);
  g_free (self->open_text);
  g_free (self->lines);
  g_free (self);
}

static void
push_line (SesameAafFilter *self,
           guint            line)
{
  if (self->lines_len == self->lines_cap)
    {
      guint *grown = g_new (guint, self->lines_cap * 2);

      for (guint i = 0; i < self->lines_len; i++)
        grown[i] = self->lines[(self->lines_first + i) & (self->lines_cap - 1)];
      g_free (self->lines);
      self->lines = grown;
      self->lines_first = 0;
      self->lines_cap *= 2;
    }
  self->lines[(self->lines_first + self->lines_len) & (self->lines_cap - 1)] = line;
  self->lines_len++;
}

guint
_sesame_aaf_filter_pop_element_line (SesameAafFilter *self)
{
  guint line;

  if (self->lines_len == 0)
    return 0;
  line = self->lines[self->lines_first];
  self->lines_first = (self->lines_first + 1) & (self->lines_cap - 1);
  self->lines_len--;
  return line;
}

gboolean
_sesame_aaf_filter_root_closed (SesameAafFilter *self)
{
  return self->root_closed;
}

static inline guint
depth (SesameAafFilter *self)
{
  return self->starts->len;
}

static inline const char *
element_at (SesameAafFilter *self,
            guint            index)
{
  return self->names->str + g_array_index (self->starts, gsize, index);
}

static inline const char *
top_element (SesameAafFilter *self)
{
  return element_at (self, self->starts->len - 1);
}

static void
push_element (SesameAafFilter *self,
              const char      *name,
              gsize            len)
{
  gsize start = self->names->len;

  if (depth (self) >= SESAME_AAF_MAX_DEPTH)
    {
      set_fault (self, SESAME_AAF_FAULT_DEPTH, self->line);
      return;
    }

  g_array_append_val (self->starts, start);
  g_string_append_len (self->names, name, len);
  g_string_append_c (self->names, '\0');
}

static void
pop_element (SesameAafFilter *self)
{
  g_string_truncate (self->names, g_array_index (self->starts, gsize, self->starts->len - 1));
  g_array_set_size (self->starts, self->starts->len - 1);
  if (self->starts->len == 0)
    {
      self->root_closed = TRUE;
      self->root_end_line = self->line;
    }
}

const char *
_sesame_aaf_filter_open_element (SesameAafFilter *self)
{
  if (depth (self) == 0)
    return NULL;
  /* Quoted in a message: the name as written, in the file's encoding, may
   * not be UTF-8. */
  g_free (self->open_text);
  self->open_text = g_utf8_make_valid (top_element (self), -1);
  return self->open_text;
}

guint
_sesame_aaf_filter_get_line (SesameAafFilter *self)
{
  return self->line;
}

/* UTF-16 and UTF-32 */

static void
put_unichar (SesameAafFilter *self,
             gunichar         c,
             GByteArray      *out)
{
  guint8 utf8[6];
  int n = g_unichar_to_utf8 (c, (char *) utf8);

  if (c == '\n')
    self->transcode_line++;
  g_byte_array_append (out, utf8, n);
}

static void
put_replacement (SesameAafFilter *self,
                 guint32          unit,
                 GByteArray      *out)
{
  Replacement replacement = { out->len, unit, self->transcode_line };

  g_array_append_val (self->replacements, replacement);
  put_unichar (self, 0xFFFD, out);
}

static void
transcode_unit (SesameAafFilter *self,
                const guint8    *p,
                GByteArray      *out)
{
  guint32 c;

  switch (self->input)
    {
    case INPUT_UTF16LE:
      c = p[0] | (p[1] << 8);
      break;
    case INPUT_UTF16BE:
      c = (p[0] << 8) | p[1];
      break;
    case INPUT_UTF32LE:
      c = p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
      break;
    case INPUT_UTF32BE:
    default:
      c = ((guint32) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
      break;
    }

  if (self->high_surrogate != 0)
    {
      gunichar high = self->high_surrogate;

      self->high_surrogate = 0;
      if (c >= 0xDC00 && c <= 0xDFFF && (self->input == INPUT_UTF16LE || self->input == INPUT_UTF16BE))
        {
          put_unichar (self, 0x10000 + ((high - 0xD800) << 10) + (c - 0xDC00), out);
          return;
        }
      put_replacement (self, high, out);
    }

  if (c >= 0xD800 && c <= 0xDBFF && (self->input == INPUT_UTF16LE || self->input == INPUT_UTF16BE))
    self->high_surrogate = c;
  else if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
    put_replacement (self, c, out);
  else
    put_unichar (self, c, out);
}

/* Appends the UTF-8 form of UTF-16 or UTF-32 bytes to out; a code unit
 * cut by the end of the block waits for the next one. */
static void
transcode (SesameAafFilter *self,
           const guint8    *data,
           gsize            len,
           GByteArray      *out)
{
  guint size = self->input == INPUT_UTF16LE || self->input == INPUT_UTF16BE ? 2 : 4;
  gsize i = 0;

  while (self->unit_len > 0 && i < len)
    {
      self->unit[self->unit_len++] = data[i++];
      if (self->unit_len == size)
        {
          transcode_unit (self, self->unit, out);
          self->unit_len = 0;
        }
    }
  for (; i + size <= len; i += size)
    transcode_unit (self, data + i, out);
  while (i < len)
    self->unit[self->unit_len++] = data[i++];
}

static void
transcode_finish (SesameAafFilter *self,
                  GByteArray      *out)
{
  if (self->unit_len > 0)
    {
      guint32 unit = 0;

      for (guint i = 0; i < self->unit_len; i++)
        unit = (unit << 8) | self->unit[i];
      self->unit_len = 0;
      put_replacement (self, unit, out);
    }
  if (self->high_surrogate != 0)
    {
      put_replacement (self, self->high_surrogate, out);
      self->high_surrogate = 0;
    }
}

/* Where the value of the encoding declaration is in the first bytes: the
 * offsets of its first byte and of the byte after it. */
static gboolean
find_declared_encoding (const guint8 *p,
                        gsize         len,
                        gsize        *start,
                        gsize        *end)
{
  const char *text = (const char *) p;
  const char *close, *at;
  char quote;

  if (len < 5 || memcmp (p, "<?xml", 5) != 0)
    return FALSE;
  close = g_strstr_len (text, len, "?>");
  if (close == NULL)
    return FALSE;
  at = g_strstr_len (text, close - text, "encoding");
  if (at == NULL)
    return FALSE;
  at += strlen ("encoding");
  while (at < close && (*at == ' ' || *at == '\t' || *at == '\r' || *at == '\n'))
    at++;
  if (at == close || *at != '=')
    return FALSE;
  at++;
  while (at < close && (*at == ' ' || *at == '\t' || *at == '\r' || *at == '\n'))
    at++;
  if (at == close || (*at != '"' && *at != '\''))
    return FALSE;
  quote = *at++;
  *start = at - text;
  while (at < close && *at != quote)
    at++;
  if (at == close)
    return FALSE;
  *end = at - text;
  return TRUE;
}

static gboolean
is_unicode_encoding (const char *name)
{
  return g_str_has_prefix (name, "utf-16") || g_str_has_prefix (name, "utf16") ||
         g_str_has_prefix (name, "utf-32") || g_str_has_prefix (name, "utf32") ||
         g_str_has_prefix (name, "ucs-2") || g_str_has_prefix (name, "ucs2") ||
         g_str_has_prefix (name, "ucs-4") || g_str_has_prefix (name, "ucs4") ||
         g_str_has_prefix (name, "iso-10646-ucs");
}

static gboolean
is_ebcdic_encoding (const char *name)
{
  return g_str_has_prefix (name, "ebcdic") || g_str_has_prefix (name, "ibm0") ||
         g_str_has_prefix (name, "ibm-0") || g_str_has_prefix (name, "cp0") ||
         g_str_has_prefix (name, "ibm037") || g_str_has_prefix (name, "ibm1047");
}

/* The encoding of the first bytes, from a byte-order mark or the first
 * characters "<?xml" as the XML specification's appendix F reads them;
 * the head is turned into UTF-8 when the file is in UTF-16 or UTF-32. */
static void
decide_input (SesameAafFilter *self)
{
  const guint8 *p = self->head->data;
  /* The head holds the first HEAD_SIZE bytes, never more (see
   * _sesame_aaf_filter_feed()): the same file is read the same way
   * whatever its blocks. */
  guint len = MIN (self->head->len, HEAD_SIZE);
  guint bom = 0;

  self->input = INPUT_AS_IS;
  if (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)
    self->input = INPUT_UTF32BE, bom = 4;
  else if (len >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0)
    self->input = INPUT_UTF32LE, bom = 4;
  else if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
    self->input = INPUT_UTF16BE, bom = 2;
  else if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
    self->input = INPUT_UTF16LE, bom = 2;
  else if (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] != 0)
    self->input = INPUT_UTF32BE;
  else if (len >= 4 && p[0] != 0 && p[1] == 0 && p[2] == 0 && p[3] == 0)
    self->input = INPUT_UTF32LE;
  else if (len >= 2 && p[0] == 0 && p[1] != 0 && (len < 4 || (p[2] == 0 && p[3] != 0)))
    self->input = INPUT_UTF16BE;
  else if (len >= 2 && p[0] != 0 && p[1] == 0 && (len < 4 || (p[2] != 0 && p[3] == 0)))
    self->input = INPUT_UTF16LE;

  switch (self->input)
    {
    case INPUT_UTF16LE:
      self->encoding = "UTF-16LE";
      break;
    case INPUT_UTF16BE:
      self->encoding = "UTF-16BE";
      break;
    case INPUT_UTF32LE:
      self->encoding = "UTF-32LE";
      break;
    case INPUT_UTF32BE:
      self->encoding = "UTF-32BE";
      break;
    case INPUT_AS_IS:
    default:
      return;
    }

  {
    g_autoptr(GByteArray) head = g_steal_pointer (&self->head);

    self->transcoded = g_byte_array_sized_new (HEAD_SIZE * 2);
    self->replacements = g_array_new (FALSE, FALSE, sizeof (Replacement));
    self->head = g_byte_array_sized_new (head->len);
    self->transcode_line = 1;
    transcode (self, head->data + bom, head->len - bom, self->head);
  }
}

static void
decide_mode (SesameAafFilter *self)
{
  const guint8 *p;
  gsize len, start, end, first;
  g_autofree char *declared = NULL;

  decide_input (self);
  p = self->head->data;
  /* Transcoded from UTF-16 or UTF-32, the head may have grown. */
  len = MIN (self->head->len, HEAD_SIZE);

  self->mode = MODE_UTF8;
  if (self->encoding == NULL)
    self->encoding = "UTF-8";

  /* EBCDIC's "<?xm". */
  if (len >= 4 && p[0] == 0x4C && p[1] == 0x6F && p[2] == 0xA7 && p[3] == 0x94)
    {
      g_strlcpy (self->declared, "EBCDIC", sizeof self->declared);
      set_fault (self, SESAME_AAF_FAULT_ENCODING, 1);
      return;
    }

  /* An XML file starts with "<", after a byte-order mark and blanks. */
  first = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
  while (first < len && is_space (p[first]))
    first++;
  if (first < len && p[first] != '<')
    {
      if (len >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] < 9 && p[3] < 9)
        set_fault (self, SESAME_AAF_FAULT_ZIP, 1);
      else if (len >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        set_fault (self, SESAME_AAF_FAULT_GZIP, 1);
      else
        set_fault (self, SESAME_AAF_FAULT_BINARY, 1);
      return;
    }
  if (self->input == INPUT_AS_IS && len > 0 && memchr (p, 0, len) != NULL)
    {
      set_fault (self, SESAME_AAF_FAULT_BINARY, 1);
      return;
    }

  /* An empty file has no head to read a declaration from. */
  if (first >= len || !find_declared_encoding (p + first, len - first, &start, &end))
    return;
  start += first;
  end += first;
  declared = g_ascii_strdown ((const char *) p + start, end - start);
  /* Not g_strlcpy(): the head does not end with a NUL. */
  memcpy (self->declared, p + start, MIN (sizeof self->declared - 1, end - start));
  self->declared[MIN (sizeof self->declared - 1, end - start)] = '\0';
  /* Quoted in messages: printable ASCII only. */
  for (char *c = self->declared; *c != '\0'; c++)
    if (!g_ascii_isprint (*c))
      *c = '?';

  if (self->input != INPUT_AS_IS || is_unicode_encoding (declared))
    {
      /* What is passed on is UTF-8: the declaration says so. */
      if (self->input == INPUT_AS_IS)
        warn (self, W_ENCODING, 1,
              _("the file declares the encoding %s but is not written in it; it was read as UTF-8"),
              self->declared);
      else if (!is_unicode_encoding (declared))
        warn (self, W_ENCODING, 1,
              _("the file declares the encoding %s but is written in %s; it was read as %s"),
              self->declared, self->encoding, self->encoding);
      {
        g_autoptr(GByteArray) head = g_steal_pointer (&self->head);

        self->head = g_byte_array_sized_new (head->len);
        g_byte_array_append (self->head, head->data, start);
        g_byte_array_append (self->head, (const guint8 *) "UTF-8", 5);
        g_byte_array_append (self->head, head->data + end, head->len - end);
        /* The code units replaced after the declaration moved with it. */
        for (guint i = 0; self->replacements != NULL && i < self->replacements->len; i++)
          {
            Replacement *replacement = &g_array_index (self->replacements, Replacement, i);

            if (replacement->offset >= end)
              replacement->offset = replacement->offset - (end - start) + 5;
            else if (replacement->offset > start)
              replacement->offset = start;
          }
      }
      return;
    }
  if (is_ebcdic_encoding (declared))
    {
      set_fault (self, SESAME_AAF_FAULT_ENCODING, 1);
      return;
    }
  if (!g_str_has_prefix (declared, "utf-8") && !g_str_has_prefix (declared, "utf8"))
    {
      self->mode = MODE_BYTES;
      self->encoding = self->declared;
    }
}

/* The length of a valid UTF-8 sequence at p, or 0; *incomplete when the
 * bytes so far are valid but the sequence goes on past avail. */
static guint
utf8_check (const guint8 *p,
            gsize         avail,
            gboolean     *incomplete)
{
  guint8 c = p[0], lo = 0x80, hi = 0xBF;
  guint need;

  *incomplete = FALSE;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c == 0xE0)
    need = 2, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
    need = 2;
  else if (c == 0xED)
    need = 2, hi = 0x9F;
  else if (c == 0xF0)
    need = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3)
    need = 3;
  else if (c == 0xF4)
    need = 3, hi = 0x8F;
  else
    return 0;

  for (guint k = 1; k <= need; k++)
    {
      guint8 b;

      if (k >= avail)
        {
          *incomplete = TRUE;
          return 0;
        }
      b = p[k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
        return 0;
    }
  return need + 1;
}

/* A byte that is not UTF-8, read as Windows-1252. */
static void
step_invalid_byte (SesameAafFilter *self,
                   guint8           byte)
{
  char utf8[6];
  gunichar c = byte < 0xA0 ? cp1252_high[byte - 0x80] : byte;
  int n = g_unichar_to_utf8 (c, utf8);

  warn (self, W_ENCODING, self->line,
        _("a byte that is not UTF-8 (0x%02X) was read as “%.*s” (Windows-1252); the file should declare its encoding"),
        byte, n, utf8);
  step (self, (const guint8 *) utf8, n);
}

static void
step_utf8 (SesameAafFilter *self,
           const guint8    *p,
           guint            n)
{
  /* U+FFFE and U+FFFF are not characters in XML. */
  if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
    {
      warn (self, W_NONCHAR, self->line,
            _("a character that XML forbids (U+%04X) was replaced by a space"),
            0xFFC0u | (p[2] & 0x3Fu));
      step (self, (const guint8 *) " ", 1);
      return;
    }
  step (self, p, n);
}

static gboolean
is_xml_char (guint64 c)
{
  return c == 0x9 || c == 0xA || c == 0xD ||
         (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

static void
grow (SesameAafFilter *self,
      gsize            more)
{
  gsize used = self->cursor - self->out->data;

  g_byte_array_set_size (self->out, used + more + 4096);
  self->cursor = self->out->data + used;
  self->limit = self->out->data + self->out->len;
}

static inline void
put (SesameAafFilter *self,
     const void      *data,
     gsize            len)
{
  if (G_UNLIKELY (self->cursor + len > self->limit))
    grow (self, len);
  memcpy (self->cursor, data, len);
  self->cursor += len;
}

static inline void
put_str (SesameAafFilter *self,
         const char      *text)
{
  put (self, text, strlen (text));
}

/* process() and finish() write through the cursor into out. */
static void
begin_output (SesameAafFilter *self,
              GByteArray      *out,
              gsize            expected)
{
  gsize used = out->len;

  self->out = out;
  g_byte_array_set_size (out, used + expected + 4096);
  self->cursor = out->data + used;
  self->limit = out->data + out->len;
}

static void
end_output (SesameAafFilter *self)
{
  g_byte_array_set_size (self->out, self->cursor - self->out->data);
  self->out = NULL;
  self->cursor = self->limit = NULL;
}

/* A reference "&…;" held in pending. */
static void
resolve_reference (SesameAafFilter *self)
{
  const char *text = self->pending->str;
  gsize len = self->pending->len;
  guint line = self->pending_line;
  g_autofree char *name = NULL;

  if (text[1] == '#')
    {
      gboolean hex = text[2] == 'x';
      const char *digits = text + (hex ? 3 : 2);
      const char *end = text + len - 1;
      guint64 value = 0;
      gboolean valid = digits < end;

      for (const char *d = digits; valid && d < end; d++)
        {
          if (hex ? !g_ascii_isxdigit (*d) : !g_ascii_isdigit (*d))
            valid = FALSE;
          else if (value <= 0x10FFFF)
            value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*d) : g_ascii_digit_value (*d));
        }

      if (!valid)
        {
          warn (self, W_AMPERSAND, line, _("“%s” is not a character reference; it was read as text"), text);
          put_str (self, "&amp;");
          put (self, text + 1, len - 1);
        }
      else if (!is_xml_char (value))
        {
          warn (self, W_CHARREF, line,
                _("the character reference “%s” names a character that XML forbids; it was replaced by a space"),
                text);
          put_str (self, " ");
        }
      else
        put (self, text, len);
      return;
    }

  name = g_strndup (text + 1, len - 2);
  if (g_str_equal (name, "amp") || g_str_equal (name, "lt") || g_str_equal (name, "gt") ||
      g_str_equal (name, "apos") || g_str_equal (name, "quot"))
    {
      put (self, text, len);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (html_latin1) + G_N_ELEMENTS (html_other); i++)
    {
      const char *candidate = i < G_N_ELEMENTS (html_latin1) ? html_latin1[i] : html_other[i - G_N_ELEMENTS (html_latin1)].name;
      gunichar c = i < G_N_ELEMENTS (html_latin1) ? 0xA0 + i : html_other[i - G_N_ELEMENTS (html_latin1)].c;

      if (g_str_equal (name, candidate))
        {
          g_autofree char *ref = g_strdup_printf ("&#%u;", c);

          warn (self, W_HTML_ENTITY, line,
                _("“%s” is not defined in an AAF file; it was read as the character it names in HTML"), text);
          put_str (self, ref);
          return;
        }
    }

  warn (self, W_UNKNOWN_ENTITY, line, _("“%s” is not defined in an AAF file; it was kept as text"), text);
  put_str (self, "&amp;");
  put (self, text + 1, len - 1);
}

static void
close_top (SesameAafFilter *self,
           gboolean         write)
{
  if (write)
    {
      put_str (self, "</");
      put_str (self, top_element (self));
      put_str (self, ">");
    }
  pop_element (self);
}

/* An end tag "</…" held in pending, its ">" just read. */
static void
end_tag (SesameAafFilter *self)
{
  g_autofree char *name = g_strstrip (g_strdup (self->pending->str + 2));
  guint line = self->tag_line;
  guint found = G_MAXUINT;

  if (depth (self) == 0)
    {
      warn (self, W_STRAY_END, line, _("the end tag </%s> closes nothing; it was ignored"), name);
      return;
    }

  for (guint i = depth (self); i > 0; i--)
    if (g_str_equal (element_at (self, i - 1), name))
      {
        found = i - 1;
        break;
      }

  if (found == depth (self) - 1)
    {
      put (self, self->pending->str, self->pending->len);
      put_str (self, ">");
      close_top (self, FALSE);
    }
  else if (found == G_MAXUINT && depth (self) == 1)
    {
      /* Closing the root would leave the rest of the file outside it. */
      warn (self, W_STRAY_END, line, _("the end tag </%s> closes nothing; it was ignored"), name);
    }
  else if (found == G_MAXUINT)
    {
      /* The ministry's delta files close <modification> with </attr>. */
      g_autofree char *top = g_strdup (top_element (self));

      warn (self, W_MISMATCH, line, _("<%s> is closed by </%s>; it was read as </%s>"), top, name, top);
      close_top (self, TRUE);
    }
  else
    {
      while (depth (self) - 1 > found)
        {
          warn (self, W_UNCLOSED, line, _("<%s> was not closed; it was closed before </%s>"), top_element (self), name);
          close_top (self, TRUE);
        }
      put (self, self->pending->str, self->pending->len);
      put_str (self, ">");
      close_top (self, FALSE);
    }
}

static void
open_element (SesameAafFilter *self,
              gboolean         empty)
{
  push_line (self, self->tag_line);
  if (depth (self) == 0)
    self->root_seen = TRUE;
  if (!empty)
    push_element (self, self->name->str, self->name->len);
  else if (depth (self) == 0)
    {
      self->root_closed = TRUE;
      self->root_end_line = self->tag_line;
    }
}

static inline gboolean
is_space (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline gboolean
is_name_start (guint8 c)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || c >= 0x80;
}

static inline gboolean
is_reference_char (guint8 c)
{
  return g_ascii_isalnum (c) || c == '#' || c == '.' || c == '-' || c == '_' || c == ':';
}

static gboolean
is_prefix (const char *text,
           const char *of)
{
  return strncmp (text, of, strlen (text)) == 0;
}

/* One unit: an ASCII byte, or a whole UTF-8 sequence, or one byte of a
 * single-byte encoding. */
static void
step (SesameAafFilter *self,
      const guint8    *unit,
      guint            len)
{
  guint8 c = unit[0];

  if (len == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
    {
      warn (self, W_CONTROL, self->line,
            _("a control character (byte 0x%02X) that XML forbids was replaced by a space"), c);
      c = ' ';
      unit = (const guint8 *) " ";
    }
  if (c == '\n')
    self->line++;

  switch (self->state)
    {
    case S_TEXT:
      if (G_UNLIKELY (self->root_closed) && c != '<' && !is_space (c))
        {
          set_fault (self, SESAME_AAF_FAULT_AFTER_ROOT, self->line);
          return;
        }
      if (c == '<')
        {
          g_string_assign (self->pending, "<");
          self->tag_line = self->line;
          self->state = S_LT;
        }
      else if (c == '&')
        {
          g_string_assign (self->pending, "&");
          self->pending_line = self->line;
          self->state = S_AMP;
        }
      else
        put (self, unit, len);
      break;

    case S_LT:
      /* After the root, only comments and blanks. */
      if (G_UNLIKELY (self->root_closed) && c != '!')
        {
          set_fault (self, SESAME_AAF_FAULT_AFTER_ROOT, self->tag_line);
          return;
        }
      if (c == '/')
        {
          g_string_append_c (self->pending, '/');
          self->state = S_END_TAG;
        }
      else if (c == '!')
        {
          g_string_append_c (self->pending, '!');
          self->state = S_BANG;
        }
      else if (c == '?')
        {
          put_str (self, "<?");
          self->match = 0;
          self->state = S_PI;
        }
      else if (is_name_start (c))
        {
          put_str (self, "<");
          put (self, unit, len);
          g_string_truncate (self->name, 0);
          g_string_append_len (self->name, (const char *) unit, len);
          self->quote = 0;
          self->last = 0;
          self->tag_bytes = 1 + len;
          self->state = S_START_NAME;
        }
      else
        {
          warn (self, W_LESS_THAN, self->tag_line, _("a “<” that opens no tag was read as text"));
          put_str (self, "&lt;");
          self->state = S_TEXT;
          if (c == '\n')
            self->line--;
          step (self, unit, len);
        }
      break;

    case S_START_NAME:
      put (self, unit, len);
      if (G_UNLIKELY ((self->tag_bytes += len) > SESAME_AAF_MAX_TAG_BYTES))
        {
          set_fault (self, SESAME_AAF_FAULT_TAG, self->tag_line);
          return;
        }
      if (c == '>')
        {
          open_element (self, FALSE);
          self->state = S_TEXT;
        }
      else if (c == '/')
        {
          self->last = '/';
          self->state = S_START_ATTRS;
        }
      else if (is_space (c))
        self->state = S_START_ATTRS;
      else
        g_string_append_len (self->name, (const char *) unit, len);
      break;

    case S_START_ATTRS:
      put (self, unit, len);
      if (G_UNLIKELY ((self->tag_bytes += len) > SESAME_AAF_MAX_TAG_BYTES))
        {
          set_fault (self, SESAME_AAF_FAULT_TAG, self->tag_line);
          return;
        }
      if (self->quote != 0)
        {
          if (c == (guint8) self->quote)
            self->quote = 0;
          self->last = c;
        }
      else if (c == '"' || c == '\'')
        self->quote = self->last = c;
      else if (c == '>')
        {
          open_element (self, self->last == '/');
          self->state = S_TEXT;
        }
      else if (!is_space (c))
        self->last = c;
      break;

    case S_END_TAG:
      if (c == '>')
        {
          end_tag (self);
          self->state = S_TEXT;
        }
      else
        {
          g_string_append_len (self->pending, (const char *) unit, len);
          if (G_UNLIKELY (self->pending->len > SESAME_AAF_MAX_TAG_BYTES))
            {
              set_fault (self, SESAME_AAF_FAULT_TAG, self->tag_line);
              return;
            }
        }
      break;

    case S_BANG:
      g_string_append_len (self->pending, (const char *) unit, len);
      if (g_str_equal (self->pending->str, "<!--"))
        self->state = S_COMMENT;
      else if (g_str_equal (self->pending->str, "<![CDATA["))
        self->state = S_CDATA;
      else if (g_str_equal (self->pending->str, "<!DOCTYPE"))
        {
          self->brackets = 0;
          self->quote = 0;
          self->state = S_DOCTYPE;
        }
      else if (is_prefix (self->pending->str, "<!--") || is_prefix (self->pending->str, "<![CDATA[") ||
               is_prefix (self->pending->str, "<!DOCTYPE"))
        break;
      else
        self->state = S_TEXT;
      if (G_UNLIKELY (self->root_closed) && self->state != S_COMMENT)
        {
          set_fault (self, SESAME_AAF_FAULT_AFTER_ROOT, self->tag_line);
          return;
        }
      self->match = 0;
      put (self, self->pending->str, self->pending->len);
      break;

    case S_COMMENT:
    case S_CDATA:
      put (self, unit, len);
      if (c == (self->state == S_COMMENT ? '-' : ']'))
        self->match = MIN (self->match + 1, 2);
      else if (c == '>' && self->match == 2)
        self->state = S_TEXT;
      else
        self->match = 0;
      break;

    case S_PI:
      put (self, unit, len);
      if (c == '>' && self->match == 1)
        self->state = S_TEXT;
      self->match = c == '?';
      break;

    case S_DOCTYPE:
      put (self, unit, len);
      if (self->quote != 0)
        {
          if (c == (guint8) self->quote)
            self->quote = 0;
        }
      else if (c == '"' || c == '\'')
        self->quote = c;
      else if (c == '[')
        self->brackets++;
      else if (c == ']' && self->brackets > 0)
        self->brackets--;
      else if (c == '>' && self->brackets == 0)
        self->state = S_TEXT;
      break;

    case S_AMP:
      if (c == ';' && self->pending->len > 1)
        {
          g_string_append_c (self->pending, ';');
          resolve_reference (self);
          self->state = S_TEXT;
        }
      else if (len == 1 && is_reference_char (c) && self->pending->len < 40)
        g_string_append_c (self->pending, c);
      else
        {
          warn (self, W_AMPERSAND, self->pending_line, _("a “&” that starts no reference was read as text"));
          put_str (self, "&amp;");
          put (self, self->pending->str + 1, self->pending->len - 1);
          self->state = S_TEXT;
          if (c == '\n')
            self->line--;
          step (self, unit, len);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Bytes that end a fast scan through a tag: quotes, >, and anything that
 * needs step()'s care (<, &, newlines, control bytes, non-ASCII). */
static guint8 tag_stop[256];
static guint8 quoted_bad[256];

static void
init_tag_tables (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint c = 0; c < 256; c++)
        {
          gboolean bad = c == '<' || c == '&' || c == '\n' || c >= 0x80 || (c < 0x20 && c != '\t' && c != '\r');

          quoted_bad[c] = bad;
          tag_stop[c] = bad || c == '"' || c == '\'' || c == '>';
        }
      g_once_init_leave (&initialized, 1);
    }
}

/* The common tags, whole: "</name>" closing the open element, or
 * "<name a="v" …>" with plain ASCII on one line. Returns the bytes used, or
 * 0 to let step() go through the tag byte by byte. */
static gsize
fast_tag (SesameAafFilter *self,
          const guint8    *p,
          gsize            avail)
{
  gsize limit = MIN (avail, 512);
  gsize k, name_end, last;

  if (limit < 3 || self->root_closed)
    return 0;

  if (p[1] == '/')
    {
      const char *top;
      gsize n;

      if (depth (self) == 0)
        return 0;
      top = top_element (self);
      n = self->names->len - 1 - g_array_index (self->starts, gsize, self->starts->len - 1);
      if (n + 3 > limit || memcmp (p + 2, top, n) != 0 || p[n + 2] != '>')
        return 0;
      put (self, p, n + 3);
      pop_element (self);
      return n + 3;
    }

  if (!g_ascii_isalpha (p[1]) && p[1] != '_')
    return 0;
  for (k = 2; k < limit && (plain_utf8[p[k]] & PLAIN_NAME); k++)
    ;
  name_end = k;

  for (;;)
    {
      guint8 c;

      while (k < limit && !tag_stop[p[k]])
        k++;
      if (k >= limit)
        return 0;
      c = p[k];
      if (c == '>')
        break;
      if (c == '"' || c == '\'')
        {
          const guint8 *close = memchr (p + k + 1, c, limit - k - 1);

          if (close == NULL)
            return 0;
          for (const guint8 *q = p + k + 1; q < close; q++)
            if (quoted_bad[*q])
              return 0;
          k = close - p + 1;
          continue;
        }
      return 0;
    }

  last = k;
  while (last > name_end && is_space (p[last - 1]))
    last--;
  put (self, p, k + 1);
  push_line (self, self->line);
  if (depth (self) == 0)
    self->root_seen = TRUE;
  if (!(last > name_end && p[last - 1] == '/'))
    push_element (self, (const char *) p + 1, name_end - 1);
  else if (depth (self) == 0)
    {
      self->root_closed = TRUE;
      self->root_end_line = self->line;
    }
  return k + 1;
}

static void
process (SesameAafFilter *self,
         const guint8    *data,
         gsize            len,
         GByteArray      *out)
{
  const guint8 *plain = self->mode == MODE_UTF8 ? plain_utf8 : plain_bytes;
  gsize i = 0;

  if (self->fault != SESAME_AAF_FAULT_NONE)
    return;

  begin_output (self, out, len + len / 8);

  /* A UTF-8 sequence cut by the end of the previous block. */
  while (self->carry_len > 0 && i < len)
    {
      guint8 seq[8];
      guint have = self->carry_len;
      gsize take = MIN (len - i, 4);
      gboolean incomplete;
      guint n;

      memcpy (seq, self->carry, have);
      memcpy (seq + have, data + i, take);
      n = utf8_check (seq, have + take, &incomplete);
      if (incomplete)
        {
          memcpy (self->carry + have, data + i, take);
          self->carry_len = have + take;
          goto out;
        }
      self->carry_len = 0;
      if (n > 0)
        {
          step_utf8 (self, seq, n);
          i += n - have;
        }
      else
        {
          step_invalid_byte (self, seq[0]);
          /* The held bytes after the first are read again. */
          memmove (self->carry, self->carry + 1, have - 1);
          self->carry_len = have - 1;
        }
    }

  while (i < len)
    {
      guint8 bit = 0, c;
      gsize start = i;

      switch (self->state)
        {
        case S_TEXT:
          /* After the root, step() looks at each byte. */
          bit = self->root_closed ? 0 : PLAIN_TEXT;
          break;
        case S_START_NAME:
          bit = PLAIN_NAME;
          break;
        case S_START_ATTRS:
          bit = self->quote == '"' ? PLAIN_DQUOTE : self->quote == '\'' ? PLAIN_SQUOTE : PLAIN_ATTRS;
          break;
        case S_END_TAG:
          bit = PLAIN_END;
          break;
        default:
          break;
        }

      if (bit != 0)
        {
          if (bit == PLAIN_TEXT)
            {
              guint lines = 0;

              while (i < len && (plain[data[i]] & PLAIN_TEXT))
                lines += data[i++] == '\n';
              self->line += lines;
            }
          else
            while (i < len && (plain[data[i]] & bit))
              i++;
          if (i > start)
            {
              gsize run = i - start;

              /* A tag too long stops the filter at the byte that makes it
               * too long, as step() does, not at the end of the block: what
               * was passed on must not depend on where the block ends. */
              if ((self->state == S_START_NAME || self->state == S_START_ATTRS) &&
                  G_UNLIKELY (self->tag_bytes + run > SESAME_AAF_MAX_TAG_BYTES))
                {
                  run = SESAME_AAF_MAX_TAG_BYTES + 1 - MIN (self->tag_bytes, SESAME_AAF_MAX_TAG_BYTES);
                  i = start + run;
                }

              switch (self->state)
                {
                case S_START_NAME:
                  g_string_append_len (self->name, (const char *) data + start, run);
                  put (self, data + start, run);
                  self->tag_bytes += run;
                  break;
                case S_START_ATTRS:
                  put (self, data + start, run);
                  self->tag_bytes += run;
                  if (self->quote != 0)
                    self->last = data[i - 1];
                  else
                    for (gsize k = i; k > start; k--)
                      if (!is_space (data[k - 1]))
                        {
                          self->last = data[k - 1];
                          break;
                        }
                  break;
                case S_END_TAG:
                  g_string_append_len (self->pending, (const char *) data + start, run);
                  if (G_UNLIKELY (self->pending->len > SESAME_AAF_MAX_TAG_BYTES))
                    set_fault (self, SESAME_AAF_FAULT_TAG, self->tag_line);
                  break;
                case S_TEXT:
                default:
                  put (self, data + start, run);
                  break;
                }
              if (G_UNLIKELY (self->tag_bytes > SESAME_AAF_MAX_TAG_BYTES) &&
                  (self->state == S_START_NAME || self->state == S_START_ATTRS))
                set_fault (self, SESAME_AAF_FAULT_TAG, self->tag_line);
              if (G_UNLIKELY (self->fault != SESAME_AAF_FAULT_NONE))
                break;
            }
          if (i >= len)
            break;
        }

      c = data[i];
      if (c == '<' && self->state == S_TEXT)
        {
          gsize used = fast_tag (self, data + i, len - i);

          if (used > 0)
            {
              i += used;
              if (G_UNLIKELY (self->fault != SESAME_AAF_FAULT_NONE))
                break;
              continue;
            }
        }
      if (c >= 0x80 && self->mode == MODE_UTF8)
        {
          gboolean incomplete;
          guint n = utf8_check (data + i, len - i, &incomplete);

          if (incomplete)
            {
              self->carry_len = len - i;
              memcpy (self->carry, data + i, self->carry_len);
              goto out;
            }
          if (n > 0)
            {
              step_utf8 (self, data + i, n);
              i += n;
            }
          else
            {
              step_invalid_byte (self, c);
              i++;
            }
        }
      else
        {
          step (self, data + i, 1);
          i++;
        }
      if (G_UNLIKELY (self->fault != SESAME_AAF_FAULT_NONE))
        break;
    }

out:
  end_output (self);
}

/* Reads transcoded bytes, reporting each code unit replaced in them when
 * the reading reaches it: after the warnings of the bytes before it, and
 * not at all if the filter stopped before it. */
static void
process_transcoded (SesameAafFilter *self,
                    const guint8    *data,
                    gsize            len,
                    GByteArray      *out)
{
  gsize pos = 0;

  for (guint i = 0; i < self->replacements->len; i++)
    {
      const Replacement *replacement = &g_array_index (self->replacements, Replacement, i);

      g_assert (replacement->offset >= pos && replacement->offset <= len);
      process (self, data + pos, replacement->offset - pos, out);
      pos = replacement->offset;
      if (self->fault != SESAME_AAF_FAULT_NONE)
        break;
      warn (self, W_ENCODING, replacement->line,
            _("the code unit 0x%04X is not a character in %s; it was replaced by “\xEF\xBF\xBD”"),
            replacement->unit, self->encoding);
    }
  g_array_set_size (self->replacements, 0);
  process (self, data + pos, len - pos, out);
}

/* Decides how to read the bytes held so far, and reads them. */
static void
flush_head (SesameAafFilter *self,
            GByteArray      *out)
{
  g_autoptr(GByteArray) head = NULL;

  decide_mode (self);
  head = g_steal_pointer (&self->head);
  if (self->input != INPUT_AS_IS)
    process_transcoded (self, head->data, head->len, out);
  else
    process (self, head->data, head->len, out);
}

void
_sesame_aaf_filter_feed (SesameAafFilter *self,
                         const guint8    *data,
                         gsize            len,
                         GByteArray      *out)
{
  if (self->fault != SESAME_AAF_FAULT_NONE)
    return;

  if (self->mode == MODE_HEAD)
    {
      /* Exactly the first HEAD_SIZE bytes are held, however they come:
       * the head is read in one piece, and then the rest as it comes. */
      gsize take = MIN (len, HEAD_SIZE - self->head->len);

      g_byte_array_append (self->head, data, take);
      if (self->head->len < HEAD_SIZE)
        return;
      flush_head (self, out);
      data += take;
      len -= take;
      if (len == 0 || self->fault != SESAME_AAF_FAULT_NONE)
        return;
    }

  if (self->input != INPUT_AS_IS)
    {
      g_byte_array_set_size (self->transcoded, 0);
      transcode (self, data, len, self->transcoded);
      process_transcoded (self, self->transcoded->data, self->transcoded->len, out);
      return;
    }
  process (self, data, len, out);
}

void
_sesame_aaf_filter_finish (SesameAafFilter *self,
                           GByteArray      *out)
{
  if (self->mode == MODE_HEAD && self->fault == SESAME_AAF_FAULT_NONE)
    flush_head (self, out);
  if (self->input != INPUT_AS_IS && self->fault == SESAME_AAF_FAULT_NONE)
    {
      g_byte_array_set_size (self->transcoded, 0);
      transcode_finish (self, self->transcoded);
      process_transcoded (self, self->transcoded->data, self->transcoded->len, out);
    }
  if (self->root_closed && (self->state == S_LT || self->state == S_END_TAG || self->state == S_BANG))
    set_fault (self, SESAME_AAF_FAULT_AFTER_ROOT, self->tag_line);
  if (self->fault != SESAME_AAF_FAULT_NONE)
    return;

  begin_output (self, out, 64);
  while (self->carry_len > 0)
    {
      guint8 byte = self->carry[0];

      memmove (self->carry, self->carry + 1, --self->carry_len);
      step_invalid_byte (self, byte);
    }

  switch (self->state)
    {
    case S_AMP:
      put_str (self, "&amp;");
      put (self, self->pending->str + 1, self->pending->len - 1);
      break;
    case S_LT:
    case S_END_TAG:
    case S_BANG:
      put (self, self->pending->str, self->pending->len);
      break;
    default:
      break;
    }
  self->state = S_TEXT;
  end_output (self);

  for (guint kind = 0; kind < N_WARNINGS; kind++)
    if (self->counts[kind] > DETAILED_WARNINGS)
      {
        guint more = self->counts[kind] - DETAILED_WARNINGS;
        g_autofree char *message =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u more repair of the same kind from this line on",
                                        "%u more repairs of the same kind from this line on",
                                        more),
                           more);

        self->warning (self->more_line[kind], message, self->user_data);
      }
}
