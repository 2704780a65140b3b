/* sesame-aaf-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads AAF files with libxml2's SAX2 push parser, one record at a time:
 * no tree is built and the memory used does not grow with the file. The
 * DTD named by the DOCTYPE is never loaded and nothing touches the network.
 * The bytes go through sesame-aaf-filter.c first, which mends what would
 * stop the parser.
 *
 * Whatever the file holds, memory stays bounded: a value is cut at
 * MAX_VALUE_BYTES (a name at MAX_NAME_CHARS characters), a record holds
 * at most MAX_RECORD_BYTES of text and MAX_RECORD_PARTS attributes and
 * values, elements nest at most SESAME_AAF_MAX_DEPTH deep, and a file
 * that goes on after its root element, or that the parser stops reading,
 * is refused rather than read in part, as is one that uses more names
 * than an AAF file has (libxml2 keeps each one).
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <string.h>
#include <unistd.h>

#include "sesame-aaf-filter-private.h"
#include "sesame-aaf-reader-private.h"
#include "sesame-error.h"

#define READ_BLOCK (64 * 1024)
/* libxml2's own complaints reported one by one per file. */
#define XML_WARNINGS_MAX 20
/* The reader's own warnings of one kind reported one by one per file. */
#define READER_WARNINGS_MAX 20

/* Real values are a few dozen bytes: a four-line address, a function
 * with its labels. */
#define MAX_VALUE_BYTES 4096
/* People's and establishments' names, printed on slips and letters. */
#define MAX_NAME_CHARS 256
/* A directory key is a few dozen bytes. */
#define MAX_ID_BYTES 256
/* Real records hold up to 3 KB and 70 values; the import keeps hundreds
 * of records in flight, each at most this large. */
#define MAX_RECORD_BYTES (64 * 1024)
#define MAX_RECORD_PARTS 4096
/* An AAF file uses about fifteen element and attribute names; libxml2
 * keeps every name it meets for the whole file. */
#define MAX_NAMES 1000

/* The attributes held to MAX_NAME_CHARS, and the lengths of their names. */
static const char * const name_attributes[] = {
  "sn", "givenName", "ENTPersonNomPatro", "ENTPersonAutresPrenoms", "ENTPersonNomUsage",
  "cn", "displayName", "personalTitle", "ENTStructureNomCourant",
};
static const int name_attribute_lengths[] = { 2, 9, 17, 22, 17, 2, 11, 13, 22 };
G_STATIC_ASSERT (G_N_ELEMENTS (name_attributes) == G_N_ELEMENTS (name_attribute_lengths));

/* One attribute: its name and values are offsets into the record's text;
 * its values are consecutive in offsets. */
typedef struct
{
  guint name;
  guint first;
  guint n_values;
  guint line;
  guint first_pointer;
} Attribute;

struct _SesameAafRecord
{
  SesameAafKind       kind;
  SesameAafOperation  operation;
  guint               line;
  guint               category;   /* offset, or G_MAXUINT */
  guint               id;         /* offset, or G_MAXUINT */
  GString            *text;       /* every string, each ending with NUL */
  GArray             *attributes; /* Attribute */
  GArray             *offsets;    /* guint: value offsets */

  /* Filled once the record is complete. */
  GPtrArray          *pointers;   /* values, NULL after each attribute's */
  guint              *slots;      /* hash of names: attribute index + 1 */
  guint               n_slots;
};

/* Record kinds */

/**
 * sesame_aaf_kind_from_category:
 * @category: (nullable): a `categoriePersonne`, `categorieStructure` or
 *   `categorieMatiere` value, e.g. "Eleve"
 *
 * Tells which kind of record a category announces; both spellings of the
 * subjects' category (`MatEducNat`, `MatiereEducNat`) are read.
 *
 * Returns: the kind, or %SESAME_AAF_KIND_UNKNOWN for a category Sésame does
 *   not import
 */
SesameAafKind
sesame_aaf_kind_from_category (const char *category)
{
  if (category == NULL)
    return SESAME_AAF_KIND_UNKNOWN;
  if (g_str_equal (category, "Eleve"))
    return SESAME_AAF_KIND_PUPIL;
  if (g_str_equal (category, "PersRelEleve"))
    return SESAME_AAF_KIND_PARENT;
  if (g_str_equal (category, "PersEducNat"))
    return SESAME_AAF_KIND_STAFF;
  if (g_str_equal (category, "EtabEducNat"))
    return SESAME_AAF_KIND_ESTABLISHMENT;
  if (g_str_equal (category, "MatEducNat") || g_str_equal (category, "MatiereEducNat"))
    return SESAME_AAF_KIND_SUBJECT;
  return SESAME_AAF_KIND_UNKNOWN;
}

/**
 * sesame_aaf_kind_to_category:
 * @kind: a #SesameAafKind
 *
 * Gives the category an AAF export writes for @kind, for messages and for
 * the test generators.
 *
 * Returns: (transfer none): the category, e.g. "Eleve", or "" for
 *   %SESAME_AAF_KIND_UNKNOWN
 */
const char *
sesame_aaf_kind_to_category (SesameAafKind kind)
{
  switch (kind)
    {
    case SESAME_AAF_KIND_PUPIL:
      return "Eleve";
    case SESAME_AAF_KIND_PARENT:
      return "PersRelEleve";
    case SESAME_AAF_KIND_STAFF:
      return "PersEducNat";
    case SESAME_AAF_KIND_ESTABLISHMENT:
      return "EtabEducNat";
    case SESAME_AAF_KIND_SUBJECT:
      return "MatEducNat";
    case SESAME_AAF_KIND_UNKNOWN:
    default:
      return "";
    }
}

/* File names */

static SesameAafKind
kind_from_file_kind (const char *name)
{
  if (g_ascii_strcasecmp (name, "Eleve") == 0)
    return SESAME_AAF_KIND_PUPIL;
  if (g_ascii_strcasecmp (name, "PersRelEleve") == 0)
    return SESAME_AAF_KIND_PARENT;
  if (g_ascii_strcasecmp (name, "PersEducNat") == 0)
    return SESAME_AAF_KIND_STAFF;
  if (g_ascii_strcasecmp (name, "EtabEducNat") == 0)
    return SESAME_AAF_KIND_ESTABLISHMENT;
  if (g_ascii_strcasecmp (name, "MatiereEducNat") == 0 || g_ascii_strcasecmp (name, "MatEducNat") == 0)
    return SESAME_AAF_KIND_SUBJECT;
  return SESAME_AAF_KIND_UNKNOWN;
}

/**
 * sesame_aaf_file_info_parse:
 * @info: (out caller-allocates): what the name says
 * @path: an AAF file's path or name
 *
 * Reads an AAF file's name. The kind is matched with its underscores and
 * chunk number (`_Eleve_0000.xml`), so that `PersRelEleve` files are not
 * taken for pupils. Free with sesame_aaf_file_info_clear().
 */
void
sesame_aaf_file_info_parse (SesameAafFileInfo *info,
                            const char        *path)
{
  static GRegex *kind_regex, *uai_regex, *date_regex;
  static gsize initialized = 0;
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GMatchInfo) match = NULL;
  const char *name = base;

  if (g_once_init_enter (&initialized))
    {
      kind_regex = g_regex_new ("_([A-Za-z]+)(?:_([0-9]{4}))?\\.xml$", G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      uai_regex = g_regex_new ("^ENT_([0-9]{7}[A-Z])_", G_REGEX_CASELESS, 0, NULL);
      date_regex = g_regex_new ("_((?:19|20)[0-9]{6})_", 0, 0, NULL);
      g_once_init_leave (&initialized, 1);
    }

  memset (info, 0, sizeof *info);
  info->chunk = -1;

  if (g_str_has_prefix (name, "clean-"))
    name += strlen ("clean-");

  if (g_regex_match (kind_regex, name, 0, &match))
    {
      g_autofree char *kind = g_match_info_fetch (match, 1);
      g_autofree char *chunk = g_match_info_fetch (match, 2);
      int start = 0;

      info->kind = kind_from_file_kind (kind);
      g_strlcpy (info->kind_name, kind, sizeof info->kind_name);
      if (chunk != NULL && *chunk != '\0')
        {
          info->chunk = atoi (chunk);
          /* The set is the name without its chunk number. */
          g_match_info_fetch_pos (match, 2, &start, NULL);
          info->set = g_strndup (name, start - 1);
        }
    }
  g_clear_pointer (&match, g_match_info_free);
  if (info->set == NULL)
    info->set = g_strdup (name);

  info->complete = strstr (name, "_Complet_") != NULL || strstr (name, "_complet_") != NULL;
  info->delta = strstr (name, "_Delta_") != NULL || strstr (name, "_delta_") != NULL;

  if (g_regex_match (uai_regex, name, 0, &match))
    {
      g_autofree char *uai = g_match_info_fetch (match, 1);
      g_autofree char *upper = g_ascii_strup (uai, -1);

      g_strlcpy (info->uai, upper, sizeof info->uai);
    }
  g_clear_pointer (&match, g_match_info_free);

  if (g_regex_match (date_regex, name, 0, &match))
    {
      g_autofree char *date = g_match_info_fetch (match, 1);

      g_strlcpy (info->date, date, sizeof info->date);
    }
}

/**
 * sesame_aaf_file_info_clear:
 * @info: a #SesameAafFileInfo filled by sesame_aaf_file_info_parse()
 *
 * Frees what @info holds (not @info itself, which the caller allocated).
 */
void
sesame_aaf_file_info_clear (SesameAafFileInfo *info)
{
  g_clear_pointer (&info->set, g_free);
}

/* Records */

/**
 * sesame_aaf_record_new:
 * Makes an empty record for sesame_aaf_record_copy_into(): the reader hands
 * out records of its own, valid during its callback only.
 *
 * Returns: (transfer full): a new record, freed with sesame_aaf_record_free()
 */
SesameAafRecord *
sesame_aaf_record_new (void)
{
  SesameAafRecord *record = g_new0 (SesameAafRecord, 1);

  record->text = g_string_sized_new (4096);
  record->attributes = g_array_sized_new (FALSE, FALSE, sizeof (Attribute), 64);
  record->offsets = g_array_sized_new (FALSE, FALSE, sizeof (guint), 128);
  record->pointers = g_ptr_array_sized_new (256);
  record->category = G_MAXUINT;
  record->id = G_MAXUINT;
  return record;
}

/**
 * sesame_aaf_record_free:
 * @record: (nullable) (transfer full): a record from sesame_aaf_record_new()
 *
 * Frees @record. %NULL is ignored.
 */
void
sesame_aaf_record_free (SesameAafRecord *record)
{
  if (record == NULL)
    return;
  g_string_free (record->text, TRUE);
  g_array_unref (record->attributes);
  g_array_unref (record->offsets);
  g_ptr_array_unref (record->pointers);
  g_free (record->slots);
  g_free (record);
}

static void
record_reset (SesameAafRecord *record)
{
  record->kind = SESAME_AAF_KIND_UNKNOWN;
  record->operation = SESAME_AAF_OPERATION_ADD;
  record->line = 0;
  record->category = G_MAXUINT;
  record->id = G_MAXUINT;
  g_string_truncate (record->text, 0);
  g_array_set_size (record->attributes, 0);
  g_array_set_size (record->offsets, 0);
  g_ptr_array_set_size (record->pointers, 0);
}

static guint
name_hash (const char *name)
{
  guint h = 5381;

  for (const char *p = name; *p != '\0'; p++)
    h = h * 33 + (guchar) *p;
  return h;
}

/* Turns offsets into pointers and indexes the names; the text no longer
 * moves once the record is complete. */
static void
record_resolve (SesameAafRecord *record)
{
  guint n = record->attributes->len;
  guint needed = 16;

  while (needed < n * 2)
    needed *= 2;
  if (needed > record->n_slots)
    {
      g_free (record->slots);
      record->slots = g_new (guint, needed);
      record->n_slots = needed;
    }
  memset (record->slots, 0, record->n_slots * sizeof (guint));

  g_ptr_array_set_size (record->pointers, 0);
  for (guint i = 0; i < n; i++)
    {
      Attribute *attribute = &g_array_index (record->attributes, Attribute, i);
      const char *name = record->text->str + attribute->name;
      guint slot = name_hash (name) & (record->n_slots - 1);

      attribute->first_pointer = record->pointers->len;
      for (guint v = 0; v < attribute->n_values; v++)
        g_ptr_array_add (record->pointers,
                         record->text->str + g_array_index (record->offsets, guint, attribute->first + v));
      g_ptr_array_add (record->pointers, NULL);

      /* The first attribute of a name wins. */
      while (record->slots[slot] != 0 &&
             strcmp (record->text->str + g_array_index (record->attributes, Attribute, record->slots[slot] - 1).name, name) != 0)
        slot = (slot + 1) & (record->n_slots - 1);
      if (record->slots[slot] == 0)
        record->slots[slot] = i + 1;
    }

  record->kind = sesame_aaf_kind_from_category (sesame_aaf_record_get_category (record));
}

/**
 * sesame_aaf_record_copy_into:
 * @dest: a record to overwrite, e.g. from sesame_aaf_record_new()
 * @src: a complete record
 *
 * Copies a record, reusing the memory of @dest: a pipeline keeps a few
 * records and recycles them.
 */
void
sesame_aaf_record_copy_into (SesameAafRecord       *dest,
                             const SesameAafRecord *src)
{
  record_reset (dest);
  dest->operation = src->operation;
  dest->line = src->line;
  dest->category = src->category;
  dest->id = src->id;
  g_string_append_len (dest->text, src->text->str, src->text->len);
  g_array_append_vals (dest->attributes, src->attributes->data, src->attributes->len);
  g_array_append_vals (dest->offsets, src->offsets->data, src->offsets->len);
  record_resolve (dest);
}

/**
 * sesame_aaf_record_get_kind:
 * @record: a record
 *
 * Tells what the record describes, from its category.
 *
 * Returns: the record's kind, %SESAME_AAF_KIND_UNKNOWN for a category
 *   Sésame does not import
 */
SesameAafKind
sesame_aaf_record_get_kind (const SesameAafRecord *record)
{
  return record->kind;
}

/**
 * sesame_aaf_record_get_category:
 * @record: a record
 *
 * Gives the record's category as the file writes it, for messages about a
 * kind Sésame does not know.
 *
 * Returns: (transfer none): the category, or "" when the record has none
 */
const char *
sesame_aaf_record_get_category (const SesameAafRecord *record)
{
  return record->category == G_MAXUINT ? "" : record->text->str + record->category;
}

/**
 * sesame_aaf_record_get_operation:
 * @record: a record
 *
 * Tells what the record asks of the directory: its element in the file
 * (`addRequest`, `modifyRequest`, `deleteRequest`).
 *
 * Returns: the record's operation
 */
SesameAafOperation
sesame_aaf_record_get_operation (const SesameAafRecord *record)
{
  return record->operation;
}

/**
 * sesame_aaf_record_get_id:
 * @record: a record
 *
 * Gives the identifier that the other records of the export refer to.
 *
 * Returns: the record's `<identifier><id>`, or "" when it has none
 */
const char *
sesame_aaf_record_get_id (const SesameAafRecord *record)
{
  return record->id == G_MAXUINT ? "" : record->text->str + record->id;
}

/**
 * sesame_aaf_record_get_line:
 * @record: a record
 *
 * Gives where the record is in its file, for messages that name the line.
 *
 * Returns: the line of the file where the record starts
 */
guint
sesame_aaf_record_get_line (const SesameAafRecord *record)
{
  return record->line;
}

guint
sesame_aaf_record_get_n_attributes (const SesameAafRecord *record)
{
  return record->attributes->len;
}

const char *
sesame_aaf_record_get_attribute_name (const SesameAafRecord *record,
                                      guint                  index)
{
  g_return_val_if_fail (index < record->attributes->len, NULL);
  return record->text->str + g_array_index (record->attributes, Attribute, index).name;
}

const char * const *
sesame_aaf_record_get_attribute_values (const SesameAafRecord *record,
                                        guint                  index)
{
  g_return_val_if_fail (index < record->attributes->len, NULL);
  return (const char * const *) &g_ptr_array_index (record->pointers,
                                                    g_array_index (record->attributes, Attribute, index).first_pointer);
}

static const Attribute *
find_attribute (const SesameAafRecord *record,
                const char            *name)
{
  guint slot;

  if (record->n_slots == 0 || record->attributes->len == 0)
    return NULL;
  slot = name_hash (name) & (record->n_slots - 1);
  while (record->slots[slot] != 0)
    {
      const Attribute *attribute = &g_array_index (record->attributes, Attribute, record->slots[slot] - 1);

      if (strcmp (record->text->str + attribute->name, name) == 0)
        return attribute;
      slot = (slot + 1) & (record->n_slots - 1);
    }
  return NULL;
}

/**
 * sesame_aaf_record_get_values:
 * @record: a record
 * @name: an attribute's name, e.g. "ENTEleveClasses"
 *
 * The values of an attribute in the order of the file, repeated values
 * kept, empty values as empty strings, leading and trailing blanks removed.
 *
 * Returns: (nullable) (array zero-terminated=1): the values, or %NULL when
 *   the record does not have this attribute
 */
const char * const *
sesame_aaf_record_get_values (const SesameAafRecord *record,
                              const char            *name)
{
  const Attribute *attribute = find_attribute (record, name);

  if (attribute == NULL)
    return NULL;
  return (const char * const *) &g_ptr_array_index (record->pointers, attribute->first_pointer);
}

/**
 * sesame_aaf_record_get_value:
 * @record: a record
 * @name: an attribute's name
 *
 * Reads an attribute with one value; see sesame_aaf_record_get_values().
 *
 * Returns: (nullable): the first value of the attribute, "" when it has an
 *   empty value, %NULL when it is absent or has no value
 */
const char *
sesame_aaf_record_get_value (const SesameAafRecord *record,
                             const char            *name)
{
  const char * const *values = sesame_aaf_record_get_values (record, name);

  return values != NULL ? values[0] : NULL;
}

/**
 * sesame_aaf_record_get_value_line:
 * @record: a record
 * @name: an attribute's name
 *
 * Gives where an attribute is in the file, for messages about its value.
 *
 * Returns: the line of the attribute in the file, or the record's line
 */
guint
sesame_aaf_record_get_value_line (const SesameAafRecord *record,
                                  const char            *name)
{
  const Attribute *attribute = find_attribute (record, name);

  return attribute != NULL && attribute->line != 0 ? attribute->line : record->line;
}

/* Reading */

typedef enum
{
  SECTION_NONE,
  SECTION_OPERATIONAL,
  SECTION_IDENTIFIER,
  SECTION_ATTRIBUTES,
} Section;

typedef enum
{
  RW_NOT_REQUEST,
  RW_ENTITY,
  RW_VALUE_CUT,
  RW_NAME_CUT,
  RW_ID,
  RW_RECORD_FULL,
  N_READER_WARNINGS
} ReaderWarning;

/* A recoverable XML error, reported once the file is read whole. */
typedef struct
{
  guint  line;
  char  *message;
} XmlError;

typedef struct
{
  const char            *path;
  char                  *display_name;
  SesameAafFilter       *filter;
  xmlParserCtxtPtr       parser;

  SesameAafRecordFunc    record_func;
  SesameAafWarningFunc   warning_func;
  gpointer               user_data;

  /* Names from the parser's dictionary: compared by address. */
  const xmlChar         *s_add, *s_modify, *s_delete, *s_operational, *s_identifier,
                        *s_attributes, *s_modifications, *s_attr, *s_modification,
                        *s_id, *s_value, *s_name;

  SesameAafRecord       *record;
  guint                  depth;        /* elements open */
  Section                section;
  gboolean               in_record;
  gboolean               capturing;
  gboolean               attr_open;
  gboolean               operational_attr;
  guint                  capture_start;
  gboolean               root_closed;

  /* The value being captured: how much it may hold, how long it is in
   * the file, whether it was cut. */
  guint                  value_limit;
  guint                  value_line;
  guint64                value_length;
  gboolean               value_cut;
  gboolean               name_value;
  guint                  value_attribute; /* offset of its name, or G_MAXUINT */
  gboolean               id_cut;
  gboolean               record_full;
  guint                  record_full_line;
  gboolean               skip_attr;
  gboolean               name_attr;

  /* Set by a callback when the file cannot be read on: stops it. */
  GError                *fatal;
  const xmlChar         *s_root;

  gboolean               stopped;      /* the record function said stop */
  GError                *record_error;

  guint                  xml_warnings;
  GArray                *xml_errors;   /* XmlError */

  guint                  warning_counts[N_READER_WARNINGS];
  guint                  warning_more_line[N_READER_WARNINGS];
} ReadContext;

/* Hands a warning on. A message quotes what the file holds, which may not
 * be UTF-8 (an element's name in a Latin-1 file): it is made valid. */
static void
emit_warning (ReadContext *ctx,
              guint        line,
              const char  *message)
{
  if (ctx->warning_func == NULL)
    return;
  if (!g_utf8_validate (message, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (message, -1);

      ctx->warning_func (ctx->display_name, line, valid, ctx->user_data);
      return;
    }
  ctx->warning_func (ctx->display_name, line, message, ctx->user_data);
}

static void
reader_warn (ReadContext   *ctx,
             ReaderWarning  kind,
             guint          line,
             const char    *format,
             ...) G_GNUC_PRINTF (4, 5);

/* Each kind is reported one by one up to a bound, then counted: a file
 * of millions of faults must not make millions of warnings. */
static void
reader_warn (ReadContext   *ctx,
             ReaderWarning  kind,
             guint          line,
             const char    *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (ctx->warning_func == NULL)
    return;
  if (++ctx->warning_counts[kind] > READER_WARNINGS_MAX)
    {
      if (ctx->warning_more_line[kind] == 0)
        ctx->warning_more_line[kind] = line;
      return;
    }
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  emit_warning (ctx, line, message);
}

static void
reader_warn_counted (ReadContext *ctx)
{
  for (guint kind = 0; ctx->warning_func != NULL && kind < N_READER_WARNINGS; kind++)
    if (ctx->warning_counts[kind] > READER_WARNINGS_MAX)
      {
        guint more = ctx->warning_counts[kind] - READER_WARNINGS_MAX;
        g_autofree char *message =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u more warning of the same kind from this line on",
                                        "%u more warnings of the same kind from this line on",
                                        more),
                           more);

        emit_warning (ctx, ctx->warning_more_line[kind], message);
      }
}

/* The record being read, for warnings: its key, or where it starts. */
static char *
record_label (ReadContext *ctx)
{
  const char *id = sesame_aaf_record_get_id (ctx->record);

  if (*id != '\0' && !ctx->id_cut)
    return g_strdup (id);
  /* TRANSLATORS: stands for a record's key in "… in the record %s …" */
  return g_strdup_printf (_("at line %u"), ctx->record->line);
}

static void
xml_error_clear (gpointer data)
{
  g_free (((XmlError *) data)->message);
}

static void
filter_warning (guint       line,
                const char *message,
                gpointer    user_data)
{
  ReadContext *ctx = user_data;

  emit_warning (ctx, line, message);
}

static void
structured_error (void        *user_data,
                  xmlErrorPtr  error)
{
  ReadContext *ctx = user_data;
  g_autofree char *message = g_strchomp (g_strdup (error->message ? error->message : ""));

  if (error->code == XML_ERR_USER_STOP)
    return;

  if (error->code == XML_ERR_UNSUPPORTED_ENCODING && ctx->fatal == NULL)
    {
      const char *encoding = _sesame_aaf_filter_get_encoding (ctx->filter);

      g_set_error (&ctx->fatal, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s is written in the encoding %s, which Sésame cannot read (unsupported encoding). "
                     "Save it as UTF-8 or ISO-8859-1 and import it again."),
                   ctx->path, encoding != NULL ? encoding : "?");
      xmlStopParser (ctx->parser);
      return;
    }

  if (error->level >= XML_ERR_ERROR)
    {
      XmlError recovered;

      /* The first one makes the message if the parser cannot go on; all
       * are reported as warnings if it recovered and read the file to its
       * end. */
      if (ctx->xml_errors->len < XML_WARNINGS_MAX)
        {
          recovered.line = error->line;
          recovered.message = g_steal_pointer (&message);
          g_array_append_val (ctx->xml_errors, recovered);
        }
      return;
    }

  if (ctx->warning_func == NULL || ++ctx->xml_warnings > XML_WARNINGS_MAX)
    return;
  emit_warning (ctx, error->line, message);
}

static xmlParserInputPtr
refuse_external_entity (const char       *url,
                        const char       *id,
                        xmlParserCtxtPtr  context)
{
  /* The DTD is never shipped and nothing may touch the network. */
  return NULL;
}

static void
init_libxml (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      xmlSetExternalEntityLoader (refuse_external_entity);
      g_once_init_leave (&initialized, 1);
    }
}

/* The value of an unprefixed attribute of an element, from the parser's
 * array of five pointers per attribute; NULL when it is absent. */
static const xmlChar *
find_xml_attribute (const xmlChar  *name,
                    int             n_attributes,
                    const xmlChar **attributes,
                    int            *length)
{
  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar **attribute = attributes + i * 5;

      if (attribute[0] == name && attribute[1] == NULL)
        {
          *length = (int) (attribute[4] - attribute[3]);
          return attribute[3];
        }
    }
  return NULL;
}

/* Ends the value that starts at start: removes its surrounding blanks and
 * ends it with a NUL. */
static void
trim_value (SesameAafRecord *record,
            guint            start)
{
  char *text = record->text->str;
  guint from = start, end = record->text->len;

  while (from < end && g_ascii_isspace (text[from]))
    from++;
  while (end > from && g_ascii_isspace (text[end - 1]))
    end--;
  if (from > start)
    memmove (text + start, text + from, end - from);
  g_string_truncate (record->text, start + (end - from));
}

/* Ends the value being captured, and says what its limits cut. */
static void
end_value (ReadContext *ctx)
{
  SesameAafRecord *record = ctx->record;
  guint start = ctx->capture_start;
  guint line = ctx->value_line;

  trim_value (record, start);

  /* Once libxml2 met bytes that are not in the file's encoding, it may
   * pass them on as they are: values stay UTF-8 all the same. */
  if (ctx->xml_errors->len > 0 &&
      !g_utf8_validate (record->text->str + start, record->text->len - start, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (record->text->str + start, record->text->len - start);

      g_string_truncate (record->text, start);
      g_string_append (record->text, valid);
    }

  if (ctx->name_value)
    {
      const char *text = record->text->str + start;
      glong chars = g_utf8_strlen (text, record->text->len - start);

      if (chars > MAX_NAME_CHARS)
        {
          g_autofree char *label = record_label (ctx);
          g_autofree char *size = g_format_size (ctx->value_length);
          const char *cut = g_utf8_offset_to_pointer (text, MAX_NAME_CHARS);

          g_string_truncate (record->text, cut - record->text->str);
          trim_value (record, start);
          if (ctx->value_cut)
            reader_warn (ctx, RW_NAME_CUT, line,
                         _("the value of %s in the record %s is %s long, more than a name can be; "
                           "only its first %u characters were kept"),
                         record->text->str + ctx->value_attribute, label, size, MAX_NAME_CHARS);
          else
            reader_warn (ctx, RW_NAME_CUT, line,
                         _("the value of %s in the record %s is %ld characters long, more than a name can be; "
                           "only its first %u were kept"),
                         record->text->str + ctx->value_attribute, label, chars, MAX_NAME_CHARS);
        }
    }
  else if (ctx->value_cut && ctx->value_attribute != G_MAXUINT)
    {
      g_autofree char *label = record_label (ctx);
      g_autofree char *size = g_format_size (ctx->value_length);

      reader_warn (ctx, RW_VALUE_CUT, line,
                   _("the value of %s in the record %s is %s long; only its first %u bytes were kept"),
                   record->text->str + ctx->value_attribute, label, size, (guint) (record->text->len - start));
    }
  g_string_append_c (record->text, '\0');
  ctx->capturing = FALSE;
}

/* Once per attribute, cheaply: most names differ in length. */
static gboolean
is_name_attribute (const xmlChar *name,
                   int            length)
{
  if (length < 2)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (name_attributes); i++)
    if (name_attribute_lengths[i] == length && name[length - 1] == (xmlChar) name_attributes[i][length - 1] &&
        memcmp (name, name_attributes[i], length) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the record has room for one more part of up to limit bytes;
 * once it has not, nothing more of it is kept. */
static gboolean
record_has_room (ReadContext *ctx,
                 guint        line,
                 gsize        limit)
{
  SesameAafRecord *record = ctx->record;

  if (!ctx->record_full &&
      (record->text->len + limit + 1 > MAX_RECORD_BYTES ||
       record->offsets->len + record->attributes->len >= MAX_RECORD_PARTS))
    {
      ctx->record_full = TRUE;
      ctx->record_full_line = line;
    }
  return !ctx->record_full;
}

static void
begin_capture (ReadContext *ctx,
               guint        line,
               guint        limit)
{
  ctx->value_line = line;
  ctx->capture_start = ctx->record->text->len;
  ctx->capturing = TRUE;
  ctx->value_limit = limit;
  ctx->value_length = 0;
  ctx->value_cut = FALSE;
}

static void
start_value (ReadContext *ctx,
             guint        line)
{
  SesameAafRecord *record = ctx->record;
  Attribute *attribute;
  guint offset;

  if (ctx->operational_attr)
    {
      if (record->category != G_MAXUINT)
        return;
      record->category = record->text->len;
      ctx->name_value = FALSE;
      ctx->value_attribute = G_MAXUINT;
      begin_capture (ctx, line, MAX_ID_BYTES);
      return;
    }

  if (ctx->skip_attr || !record_has_room (ctx, line, MAX_VALUE_BYTES))
    return;

  attribute = &g_array_index (record->attributes, Attribute, record->attributes->len - 1);
  offset = record->text->len;
  g_array_append_val (record->offsets, offset);
  attribute->n_values++;
  ctx->value_attribute = attribute->name;
  ctx->name_value = ctx->name_attr;
  begin_capture (ctx, line, MAX_VALUE_BYTES);
}

static void
start_attr (ReadContext    *ctx,
            guint           line,
            int             n_attributes,
            const xmlChar **attributes)
{
  SesameAafRecord *record = ctx->record;
  const xmlChar *name;
  int length = 0;

  name = find_xml_attribute (ctx->s_name, n_attributes, attributes, &length);
  if (name == NULL)
    return;

  if (ctx->section == SECTION_OPERATIONAL)
    {
      ctx->operational_attr = length >= 9 && memcmp (name, "categorie", 9) == 0;
    }
  else if (!record_has_room (ctx, line, length))
    {
      /* Its values are left out with it. */
      ctx->attr_open = TRUE;
      ctx->skip_attr = TRUE;
    }
  else
    {
      Attribute attribute = { 0 };

      attribute.name = record->text->len;
      attribute.first = record->offsets->len;
      attribute.line = line;
      ctx->name_attr = is_name_attribute (name, length);
      /* Names are handed out as UTF-8, like values: one written in a
       * file libxml2 could not decode is mended (it names no attribute
       * Sésame reads, so it is only ever ignored or quoted). */
      if (g_utf8_validate_len ((const char *) name, length, NULL))
        g_string_append_len (record->text, (const char *) name, length);
      else
        {
          g_autofree char *valid = g_utf8_make_valid ((const char *) name, length);

          g_string_append (record->text, valid);
        }
      g_string_append_c (record->text, '\0');
      g_array_append_val (record->attributes, attribute);
      ctx->attr_open = TRUE;
    }
}

static void
sax_start_element (void           *user_data,
                   const xmlChar  *name,
                   const xmlChar  *prefix,
                   const xmlChar  *uri,
                   int             n_namespaces,
                   const xmlChar **namespaces,
                   int             n_attributes,
                   int             n_defaulted,
                   const xmlChar **attributes)
{
  ReadContext *ctx = user_data;
  SesameAafRecord *record = ctx->record;
  guint depth = ctx->depth++;
  guint line = _sesame_aaf_filter_pop_element_line (ctx->filter);

  if (line == 0)
    line = (guint) xmlSAX2GetLineNumber (ctx->parser);

  switch (depth)
    {
    case 0:
      if (name != ctx->s_root && ctx->fatal == NULL)
        {
          g_autofree char *valid = g_utf8_make_valid ((const char *) name, -1);

          g_set_error (&ctx->fatal, SESAME_ERROR, SESAME_ERROR_INVALID,
                       _("The file %s is not an AAF export: its root element at line %u is <%s>, where an AAF file has "
                         "<ficAlimMENESR>. Import the .xml files of the academy's export."),
                       ctx->path, line, valid);
          xmlStopParser (ctx->parser);
        }
      break;

    case 1:
      ctx->in_record = name == ctx->s_add || name == ctx->s_modify || name == ctx->s_delete;
      if (!ctx->in_record)
        {
          reader_warn (ctx, RW_NOT_REQUEST, line,
                       _("the element <%s> is not an AAF request; it was skipped"), (const char *) name);
          break;
        }
      record_reset (record);
      ctx->id_cut = FALSE;
      ctx->record_full = FALSE;
      record->line = line;
      record->operation = name == ctx->s_add ? SESAME_AAF_OPERATION_ADD
                        : name == ctx->s_modify ? SESAME_AAF_OPERATION_MODIFY
                        : SESAME_AAF_OPERATION_DELETE;
      ctx->section = SECTION_NONE;
      break;

    case 2:
      if (!ctx->in_record)
        break;
      if (name == ctx->s_operational)
        ctx->section = SECTION_OPERATIONAL;
      else if (name == ctx->s_identifier)
        ctx->section = SECTION_IDENTIFIER;
      else if (name == ctx->s_attributes || name == ctx->s_modifications)
        ctx->section = SECTION_ATTRIBUTES;
      else
        ctx->section = SECTION_NONE;
      break;

    case 3:
      if (!ctx->in_record)
        break;
      ctx->attr_open = FALSE;
      ctx->skip_attr = FALSE;
      ctx->operational_attr = FALSE;
      if (ctx->section == SECTION_IDENTIFIER && name == ctx->s_id && record->id == G_MAXUINT)
        {
          record->id = record->text->len;
          ctx->name_value = FALSE;
          ctx->value_attribute = G_MAXUINT;
          begin_capture (ctx, line, MAX_ID_BYTES);
        }
      else if ((ctx->section == SECTION_OPERATIONAL && name == ctx->s_attr) ||
               (ctx->section == SECTION_ATTRIBUTES && (name == ctx->s_attr || name == ctx->s_modification)))
        start_attr (ctx, line, n_attributes, attributes);
      break;

    case 4:
      if (ctx->in_record && name == ctx->s_value && (ctx->attr_open || ctx->operational_attr))
        start_value (ctx, line);
      break;

    default:
      break;
    }
}

static void
sax_end_element (void          *user_data,
                 const xmlChar *name,
                 const xmlChar *prefix,
                 const xmlChar *uri)
{
  ReadContext *ctx = user_data;
  guint depth;

  if (ctx->depth == 0)
    return;
  depth = --ctx->depth;

  if (ctx->capturing && (depth == 3 || depth == 4))
    {
      if (ctx->value_cut && ctx->record->id == ctx->capture_start)
        ctx->id_cut = TRUE;
      end_value (ctx);
    }

  if (depth == 3)
    {
      ctx->attr_open = FALSE;
      ctx->skip_attr = FALSE;
      ctx->operational_attr = FALSE;
    }
  else if (depth == 1 && ctx->in_record)
    {
      ctx->in_record = FALSE;
      if (ctx->id_cut)
        {
          /* A key cut short would name someone else, or nobody. */
          reader_warn (ctx, RW_ID, ctx->record->line,
                       _("the record at line %u has an identifier longer than %u bytes; it was skipped"),
                       ctx->record->line, MAX_ID_BYTES);
          return;
        }
      if (ctx->record_full)
        {
          g_autofree char *label = record_label (ctx);

          reader_warn (ctx, RW_RECORD_FULL, ctx->record_full_line,
                       _("the record %s holds more than an AAF record can (%u KB, %u values); "
                         "what follows this line in it was left out"),
                       label, MAX_RECORD_BYTES / 1024, MAX_RECORD_PARTS);
        }
      record_resolve (ctx->record);
      if (!ctx->record_func (ctx->record, ctx->user_data, &ctx->record_error))
        {
          ctx->stopped = TRUE;
          xmlStopParser (ctx->parser);
        }
    }
  else if (depth == 0)
    ctx->root_closed = TRUE;
}

static void
sax_characters (void          *user_data,
                const xmlChar *text,
                int            length)
{
  ReadContext *ctx = user_data;
  GString *record_text = ctx->record->text;
  gsize room;

  if (!ctx->capturing)
    return;
  ctx->value_length += length;
  if (ctx->value_cut)
    return;

  room = ctx->value_limit - MIN (ctx->value_limit, record_text->len - ctx->capture_start);
  if ((gsize) length > room)
    {
      /* Cut between two characters. */
      while (room > 0 && (text[room] & 0xC0) == 0x80)
        room--;
      g_string_append_len (record_text, (const char *) text, room);
      ctx->value_cut = TRUE;
      return;
    }
  g_string_append_len (record_text, (const char *) text, length);
}

static void
sax_reference (void          *user_data,
               const xmlChar *name)
{
  ReadContext *ctx = user_data;

  if (!ctx->capturing)
    return;
  reader_warn (ctx, RW_ENTITY, (guint) xmlSAX2GetLineNumber (ctx->parser),
               _("the entity “&%s;” is not defined; it was left out"), (const char *) name);
}

/* Only the events that make records: no tree is built, no DTD is read. */
static const xmlSAXHandler sax_handler = {
  .initialized = XML_SAX2_MAGIC,
  .startElementNs = sax_start_element,
  .endElementNs = sax_end_element,
  .characters = sax_characters,
  .ignorableWhitespace = sax_characters,
  .cdataBlock = sax_characters,
  .reference = sax_reference,
  .serror = structured_error,
};

static gboolean
read_block (int          fd,
            guint8      *block,
            gssize      *n_read,
            const char  *path,
            GError     **error)
{
  gssize n;

  do
    n = read (fd, block, READ_BLOCK);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot read the file %s: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }
  *n_read = n;
  return TRUE;
}

static void
intern_names (ReadContext *ctx)
{
  xmlDictPtr dict = ctx->parser->dict;

  ctx->s_add = xmlDictLookup (dict, BAD_CAST "addRequest", -1);
  ctx->s_modify = xmlDictLookup (dict, BAD_CAST "modifyRequest", -1);
  ctx->s_delete = xmlDictLookup (dict, BAD_CAST "deleteRequest", -1);
  ctx->s_operational = xmlDictLookup (dict, BAD_CAST "operationalAttributes", -1);
  ctx->s_identifier = xmlDictLookup (dict, BAD_CAST "identifier", -1);
  ctx->s_attributes = xmlDictLookup (dict, BAD_CAST "attributes", -1);
  ctx->s_modifications = xmlDictLookup (dict, BAD_CAST "modifications", -1);
  ctx->s_attr = xmlDictLookup (dict, BAD_CAST "attr", -1);
  ctx->s_modification = xmlDictLookup (dict, BAD_CAST "modification", -1);
  ctx->s_id = xmlDictLookup (dict, BAD_CAST "id", -1);
  ctx->s_value = xmlDictLookup (dict, BAD_CAST "value", -1);
  ctx->s_name = xmlDictLookup (dict, BAD_CAST "name", -1);
  ctx->s_root = xmlDictLookup (dict, BAD_CAST "ficAlimMENESR", -1);
}

static void
set_unreadable_error (ReadContext  *ctx,
                      const char   *path,
                      GError      **error)
{
  const XmlError *first = ctx->xml_errors->len > 0 ? &g_array_index (ctx->xml_errors, XmlError, 0) : NULL;

  g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
               _("The file %s cannot be read past line %u: %s. Check that it is an AAF file, or ask for it again."),
               path, first != NULL && first->line != 0 ? first->line : (guint) xmlSAX2GetLineNumber (ctx->parser),
               first != NULL ? first->message : _("malformed XML"));
}

/* What the filter met that makes the file impossible to import whole. */
static gboolean
refuse_fault (ReadContext  *ctx,
              const char   *path,
              GError      **error)
{
  guint line = 0, root_end_line = 0;
  const char *encoding = NULL;

  switch (_sesame_aaf_filter_get_fault (ctx->filter, &line, &root_end_line, &encoding))
    {
    case SESAME_AAF_FAULT_NONE:
      return FALSE;

    case SESAME_AAF_FAULT_AFTER_ROOT:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s goes on at line %u after its root element <ficAlimMENESR> ended at line %u: "
                     "a stray </ficAlimMENESR> closed it early, or two exports were joined into one file. "
                     "Ask for the file again, or import each export from its own file."),
                   path, line, root_end_line);
      break;

    case SESAME_AAF_FAULT_DEPTH:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s nests elements more than %u deep at line %u: it is not an AAF export, or it is "
                     "damaged. Ask for the file again."),
                   path, SESAME_AAF_MAX_DEPTH, line);
      break;

    case SESAME_AAF_FAULT_TAG:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s has a tag longer than %u bytes at line %u: it is not an AAF export, or it is "
                     "damaged. Ask for the file again."),
                   path, SESAME_AAF_MAX_TAG_BYTES, line);
      break;

    case SESAME_AAF_FAULT_ZIP:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s is a ZIP archive, not an AAF XML file: extract it first, then import the .xml "
                     "files it holds."),
                   path);
      break;

    case SESAME_AAF_FAULT_GZIP:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s is compressed with gzip, not an AAF XML file: decompress it first, then import "
                     "the .xml file."),
                   path);
      break;

    case SESAME_AAF_FAULT_ENCODING:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s is written in the encoding %s, which Sésame cannot read (unsupported encoding). "
                     "Save it as UTF-8 or ISO-8859-1 and import it again."),
                   path, encoding);
      break;

    case SESAME_AAF_FAULT_BINARY:
    default:
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s is not an AAF XML file: it does not start with an XML tag (it may be an image, "
                     "a document or another binary file). Import the .xml files of the academy's export."),
                   path);
      break;
    }
  return TRUE;
}

/**
 * sesame_aaf_read_file:
 * @path: an AAF file
 * @record_func: (scope call) (closure user_data): called for each record,
 *   in the order of the file; it returns %FALSE with an error set to stop
 *   the reading
 * @warning_func: (nullable) (scope call) (closure user_data): called for
 *   each repair or oddity, with its line
 * @user_data: (closure): data for @record_func and @warning_func
 * @bytes_read: (nullable) (inout): incremented as bytes are read
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Streams an AAF file record by record. Faults that real exports carry are
 * repaired with a warning; a file that stops before its end, or that cannot
 * be read past a point, is an error naming the file and the line: no record
 * is ever dropped silently.
 *
 * It blocks on the file and runs the callbacks in the calling thread; its
 * memory does not grow with the file. It fails with %SESAME_ERROR_INVALID
 * for a file that cannot be opened or read as AAF, %SESAME_ERROR_CANCELLED
 * when @cancellable was cancelled, or with the error @record_func set.
 *
 * Returns: %TRUE if the whole file was read
 */
gboolean
sesame_aaf_read_file (const char           *path,
                      SesameAafRecordFunc   record_func,
                      SesameAafWarningFunc  warning_func,
                      gpointer              user_data,
                      guint64              *bytes_read,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autoptr(SesameAafRecord) record = NULL;
  g_autoptr(GByteArray) out = NULL;
  g_autofree guint8 *block = NULL;
  ReadContext ctx = { 0 };
  gboolean ok = FALSE;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (record_func != NULL, FALSE);

  init_libxml ();

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot open the file %s: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }

  record = sesame_aaf_record_new ();
  block = g_malloc (READ_BLOCK);
  out = g_byte_array_sized_new (READ_BLOCK * 2);

  ctx.path = path;
  ctx.display_name = g_path_get_basename (path);
  ctx.filter = _sesame_aaf_filter_new (filter_warning, &ctx);
  ctx.record_func = record_func;
  ctx.warning_func = warning_func;
  ctx.user_data = user_data;
  ctx.record = record;
  ctx.xml_errors = g_array_new (FALSE, FALSE, sizeof (XmlError));
  g_array_set_clear_func (ctx.xml_errors, xml_error_clear);

  /* The encoding is read from the first bytes fed. */
  ctx.parser = xmlCreatePushParserCtxt ((xmlSAXHandler *) &sax_handler, &ctx, NULL, 0, path);
  if (ctx.parser == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot start reading the file %s."), path);
      goto out;
    }
  xmlCtxtUseOptions (ctx.parser, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA);
  intern_names (&ctx);

  for (;;)
    {
      gssize n;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_CANCELLED, _("The import was cancelled."));
          goto out;
        }
      if (!read_block (fd, block, &n, path, error))
        goto out;

      g_byte_array_set_size (out, 0);
      if (n == 0)
        _sesame_aaf_filter_finish (ctx.filter, out);
      else
        {
          _sesame_aaf_filter_feed (ctx.filter, block, n, out);
          if (bytes_read != NULL)
            *bytes_read += n;
        }

      if (refuse_fault (&ctx, path, error))
        goto out;

      xmlParseChunk (ctx.parser, (const char *) out->data, (int) out->len, n == 0);
      if (ctx.stopped)
        {
          g_propagate_error (error, g_steal_pointer (&ctx.record_error));
          goto out;
        }
      if (ctx.fatal != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&ctx.fatal));
          goto out;
        }
      if (n == 0)
        break;
      if (xmlDictSize (ctx.parser->dict) > MAX_NAMES)
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                       _("The file %s uses more than %u different element and attribute names by line %u: it is not "
                         "an AAF export, or it is damaged. Ask for the file again."),
                       path, MAX_NAMES, (guint) xmlSAX2GetLineNumber (ctx.parser));
          goto out;
        }
      if (ctx.parser->instate == XML_PARSER_EOF)
        {
          /* The parser gave up: the rest of the file would be lost. */
          set_unreadable_error (&ctx, path, error);
          goto out;
        }
    }

  if (!_sesame_aaf_filter_root_closed (ctx.filter))
    {
      const char *open = _sesame_aaf_filter_open_element (ctx.filter);

      if (open != NULL)
        {
          /* The name as the file has it, maybe not in UTF-8. */
          g_autofree char *name = g_utf8_make_valid (open, -1);

          g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                       _("The file %s stops at line %u before its end (<%s> is still open): it was probably cut off while being copied. Ask for the file again."),
                       path, _sesame_aaf_filter_get_line (ctx.filter), name);
        }
      else
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                     _("The file %s holds no directory records: it is empty or is not an AAF file."),
                     path);
      goto out;
    }
  if (!ctx.root_closed)
    {
      /* The parser gave up before the end: what follows would be lost. */
      set_unreadable_error (&ctx, path, error);
      goto out;
    }

  /* Read to the end: what the parser mended on the way is said. */
  for (guint i = 0; warning_func != NULL && i < ctx.xml_errors->len; i++)
    {
      const XmlError *recovered = &g_array_index (ctx.xml_errors, XmlError, i);

      emit_warning (&ctx, recovered->line, recovered->message);
    }
  reader_warn_counted (&ctx);

  ok = TRUE;

out:
  if (ctx.parser != NULL)
    {
      /* An internal DTD subset that declares entities makes libxml2 build
       * a document of its own to hold them, left to the caller. */
      if (ctx.parser->myDoc != NULL)
        xmlFreeDoc (ctx.parser->myDoc);
      xmlFreeParserCtxt (ctx.parser);
    }
  close (fd);
  _sesame_aaf_filter_free (ctx.filter);
  g_array_unref (ctx.xml_errors);
  g_clear_error (&ctx.record_error);
  g_clear_error (&ctx.fatal);
  g_free (ctx.display_name);
  return ok;
}
