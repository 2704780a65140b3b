/* sesame-aaf-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads AAF files with libxml2's SAX2 push parser, one record at a time:
 * no tree is built and the memory used does not grow with the file. The
 * DTD named by the DOCTYPE is never loaded and nothing touches the network.
 * The bytes go through sesame-aaf-filter.c first, which mends what would
 * stop the parser.
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
#include "sesame-aaf-reader.h"
#include "sesame-error.h"

#define READ_BLOCK (64 * 1024)
/* libxml2's own complaints reported one by one per file. */
#define XML_WARNINGS_MAX 20

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

void
sesame_aaf_file_info_clear (SesameAafFileInfo *info)
{
  g_clear_pointer (&info->set, g_free);
}

/* Records */

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

SesameAafKind
sesame_aaf_record_get_kind (const SesameAafRecord *record)
{
  return record->kind;
}

const char *
sesame_aaf_record_get_category (const SesameAafRecord *record)
{
  return record->category == G_MAXUINT ? "" : record->text->str + record->category;
}

SesameAafOperation
sesame_aaf_record_get_operation (const SesameAafRecord *record)
{
  return record->operation;
}

/**
 * sesame_aaf_record_get_id:
 * @record: a record
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

/* A recoverable XML error, reported once the file is read whole. */
typedef struct
{
  guint  line;
  char  *message;
} XmlError;

typedef struct
{
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

  gboolean               stopped;      /* the record function said stop */
  GError                *record_error;

  guint                  xml_warnings;
  GArray                *xml_errors;   /* XmlError */
} ReadContext;

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

  if (ctx->warning_func != NULL)
    ctx->warning_func (ctx->display_name, line, message, ctx->user_data);
}

static void
structured_error (void        *user_data,
                  xmlErrorPtr  error)
{
  ReadContext *ctx = user_data;
  /* libxml2 quotes the file in its messages, before or after decoding. */
  g_autofree char *message = g_strchomp (g_utf8_make_valid (error->message ? error->message : "", -1));

  if (error->code == XML_ERR_USER_STOP)
    return;

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
  ctx->warning_func (ctx->display_name, error->line, message, ctx->user_data);
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
end_value (SesameAafRecord *record,
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
  g_string_append_c (record->text, '\0');
}

static void
start_value (ReadContext *ctx)
{
  SesameAafRecord *record = ctx->record;

  if (ctx->operational_attr)
    {
      if (record->category != G_MAXUINT)
        return;
      record->category = record->text->len;
    }
  else
    {
      guint offset = record->text->len;

      g_array_append_val (record->offsets, offset);
      g_array_index (record->attributes, Attribute, record->attributes->len - 1).n_values++;
    }
  ctx->capture_start = record->text->len;
  ctx->capturing = TRUE;
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
  else
    {
      Attribute attribute = { 0 };

      attribute.name = record->text->len;
      attribute.first = record->offsets->len;
      attribute.line = line;
      g_string_append_len (record->text, (const char *) name, length);
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
      break;

    case 1:
      ctx->in_record = name == ctx->s_add || name == ctx->s_modify || name == ctx->s_delete;
      if (!ctx->in_record)
        {
          if (ctx->warning_func != NULL)
            {
              /* A name libxml2 could not decode comes as it was written. */
              g_autofree char *text = g_utf8_make_valid ((const char *) name, -1);
              g_autofree char *message =
                g_strdup_printf (_("the element <%s> is not an AAF request; it was skipped"), text);
              ctx->warning_func (ctx->display_name, line, message, ctx->user_data);
            }
          break;
        }
      record_reset (record);
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
      ctx->operational_attr = FALSE;
      if (ctx->section == SECTION_IDENTIFIER && name == ctx->s_id)
        {
          record->id = record->text->len;
          ctx->capture_start = record->id;
          ctx->capturing = TRUE;
        }
      else if ((ctx->section == SECTION_OPERATIONAL && name == ctx->s_attr) ||
               (ctx->section == SECTION_ATTRIBUTES && (name == ctx->s_attr || name == ctx->s_modification)))
        start_attr (ctx, line, n_attributes, attributes);
      break;

    case 4:
      if (ctx->in_record && name == ctx->s_value && (ctx->attr_open || ctx->operational_attr))
        start_value (ctx);
      break;

    default:
      break;
    }
}

static void repair_text (ReadContext *ctx);

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
      end_value (ctx->record, ctx->capture_start);
      ctx->capturing = FALSE;
    }

  if (depth == 3)
    {
      ctx->attr_open = FALSE;
      ctx->operational_attr = FALSE;
    }
  else if (depth == 1 && ctx->in_record)
    {
      ctx->in_record = FALSE;
      repair_text (ctx);
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

/* libxml2 hands over text it could not decode (an encoding it does not
 * know, a declaration it could not read) as it was: every name and value
 * of a record must be UTF-8 for the store, the window and JSON. Bytes
 * that are not are replaced by "?" in place, which keeps every offset. */
static void
repair_text (ReadContext *ctx)
{
  GString *text = ctx->record->text;
  const char *end = text->str + text->len;
  char *p = text->str;
  gboolean repaired = FALSE;

  while (p < end)
    {
      const char *valid_end;

      if (g_utf8_validate (p, end - p, &valid_end))
        break;
      p = (char *) valid_end;
      if (*p != '\0')
        {
          *p = '?';
          repaired = TRUE;
        }
      p++;
    }

  if (repaired && ctx->warning_func != NULL)
    ctx->warning_func (ctx->display_name, sesame_aaf_record_get_line (ctx->record),
                       _("this record holds text that is not valid in the file's encoding; the characters that could not be read were replaced by “?”"),
                       ctx->user_data);
}

static void
sax_characters (void          *user_data,
                const xmlChar *text,
                int            length)
{
  ReadContext *ctx = user_data;

  if (ctx->capturing)
    g_string_append_len (ctx->record->text, (const char *) text, length);
}

static void
sax_reference (void          *user_data,
               const xmlChar *name)
{
  ReadContext *ctx = user_data;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;

  if (!ctx->capturing || ctx->warning_func == NULL)
    return;
  text = g_utf8_make_valid ((const char *) name, -1);
  message = g_strdup_printf (_("the entity “&%s;” is not defined; it was left out"), text);
  ctx->warning_func (ctx->display_name, (guint) xmlSAX2GetLineNumber (ctx->parser), message, ctx->user_data);
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
}

/**
 * sesame_aaf_read_file:
 * @path: an AAF file
 * @record_func: called for each record
 * @warning_func: (nullable): called for each repair or oddity, with its line
 * @user_data: closure data
 * @bytes_read: (nullable) (inout): incremented as bytes are read
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Streams an AAF file record by record. Faults that real exports carry are
 * repaired with a warning; a file that stops before its end, or that cannot
 * be read past a point, is an error naming the file and the line: no record
 * is ever dropped silently.
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

      xmlParseChunk (ctx.parser, (const char *) out->data, (int) out->len, n == 0);
      if (ctx.stopped)
        {
          g_propagate_error (error, g_steal_pointer (&ctx.record_error));
          goto out;
        }
      if (n == 0)
        break;
    }

  if (!_sesame_aaf_filter_root_closed (ctx.filter))
    {
      const char *open = _sesame_aaf_filter_open_element (ctx.filter);

      if (open != NULL)
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                     _("The file %s stops at line %u before its end (<%s> is still open): it was probably cut off while being copied. Ask for the file again."),
                     path, _sesame_aaf_filter_get_line (ctx.filter), open);
      else
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                     _("The file %s holds no directory records: it is empty or is not an AAF file."),
                     path);
      goto out;
    }
  if (!ctx.root_closed)
    {
      const XmlError *first = ctx.xml_errors->len > 0 ? &g_array_index (ctx.xml_errors, XmlError, 0) : NULL;

      /* The parser gave up before the end: what follows would be lost. */
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s cannot be read past line %u: %s. Check that it is an AAF file, or ask for it again."),
                   path, first != NULL && first->line != 0 ? first->line : (guint) xmlSAX2GetLineNumber (ctx.parser),
                   first != NULL ? first->message : _("malformed XML"));
      goto out;
    }

  /* Read to the end: what the parser mended on the way is said. */
  for (guint i = 0; warning_func != NULL && i < ctx.xml_errors->len; i++)
    {
      const XmlError *recovered = &g_array_index (ctx.xml_errors, XmlError, i);

      warning_func (ctx.display_name, recovered->line, recovered->message, user_data);
    }

  ok = TRUE;

out:
  if (ctx.parser != NULL)
    xmlFreeParserCtxt (ctx.parser);
  close (fd);
  _sesame_aaf_filter_free (ctx.filter);
  g_array_unref (ctx.xml_errors);
  g_clear_error (&ctx.record_error);
  g_free (ctx.display_name);
  return ok;
}
