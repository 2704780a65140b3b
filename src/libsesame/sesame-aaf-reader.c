/* sesame-aaf-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads AAF files with libxml2's xmlTextReader, one record at a time: the
 * memory used does not grow with the file. The DTD named by the DOCTYPE is
 * never loaded and nothing touches the network. The bytes go through
 * sesame-aaf-filter.c first, which mends what would stop the reader.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/xmlreader.h>
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

typedef struct
{
  const char            *path;
  char                  *display_name;
  int                    fd;
  SesameAafFilter       *filter;
  guint8                *block;
  GByteArray            *out;
  gsize                  out_pos;
  gboolean               eof;
  guint64               *bytes_read;
  GCancellable          *cancellable;
  gboolean               cancelled;
  int                    read_errno;

  SesameAafRecordFunc    record_func;
  SesameAafWarningFunc   warning_func;
  gpointer               user_data;

  guint                  xml_warnings;
  char                  *error_message;
  guint                  error_line;
} ReadContext;

static void
filter_warning (guint       line,
                const char *message,
                gpointer    user_data)
{
  ReadContext *ctx = user_data;

  if (ctx->warning_func != NULL)
    ctx->warning_func (ctx->display_name, line, message, ctx->user_data);
}

static int
io_read (void *context,
         char *buffer,
         int   len)
{
  ReadContext *ctx = context;
  gsize avail;

  while (ctx->out_pos >= ctx->out->len)
    {
      gssize n;

      if (ctx->eof)
        return 0;
      if (g_cancellable_is_cancelled (ctx->cancellable))
        {
          ctx->cancelled = TRUE;
          return -1;
        }

      g_byte_array_set_size (ctx->out, 0);
      ctx->out_pos = 0;
      do
        n = read (ctx->fd, ctx->block, READ_BLOCK);
      while (n < 0 && errno == EINTR);

      if (n < 0)
        {
          ctx->read_errno = errno;
          return -1;
        }
      if (n == 0)
        {
          _sesame_aaf_filter_finish (ctx->filter, ctx->out);
          ctx->eof = TRUE;
        }
      else
        {
          _sesame_aaf_filter_feed (ctx->filter, ctx->block, n, ctx->out);
          if (ctx->bytes_read != NULL)
            *ctx->bytes_read += n;
        }
    }

  avail = MIN ((gsize) len, ctx->out->len - ctx->out_pos);
  memcpy (buffer, ctx->out->data + ctx->out_pos, avail);
  ctx->out_pos += avail;
  return (int) avail;
}

static int
io_close (void *context)
{
  return 0;
}

static void
structured_error (void        *user_data,
                  xmlErrorPtr  error)
{
  ReadContext *ctx = user_data;
  g_autofree char *message = g_strchomp (g_strdup (error->message ? error->message : ""));

  if (error->level >= XML_ERR_ERROR)
    {
      /* The reader stops after this; the caller reports it. */
      if (ctx->error_message == NULL)
        {
          ctx->error_message = g_steal_pointer (&message);
          ctx->error_line = error->line;
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

static const char *
node_attribute (xmlNodePtr  node,
                const char *name)
{
  for (xmlAttrPtr attr = node != NULL ? node->properties : NULL; attr != NULL; attr = attr->next)
    if (strcmp ((const char *) attr->name, name) == 0)
      {
        if (attr->children != NULL && attr->children->type == XML_TEXT_NODE && attr->children->next == NULL)
          return (const char *) attr->children->content;
        return "";
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
  ReadContext ctx = { 0 };
  xmlTextReaderPtr reader;
  const xmlChar *s_add, *s_modify, *s_delete, *s_operational, *s_identifier,
                *s_attributes, *s_modifications, *s_attr, *s_modification, *s_id, *s_value;
  Section section = SECTION_NONE;
  gboolean in_record = FALSE, capturing = FALSE, attr_open = FALSE;
  gboolean operational_attr = FALSE;
  guint capture_start = 0;
  gboolean ok = FALSE;
  int ret;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (record_func != NULL, FALSE);

  init_libxml ();

  ctx.path = path;
  ctx.display_name = g_path_get_basename (path);
  ctx.fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (ctx.fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot open the file %s: %s."), path, g_strerror (saved_errno));
      g_free (ctx.display_name);
      return FALSE;
    }

  ctx.filter = _sesame_aaf_filter_new (filter_warning, &ctx);
  ctx.block = g_malloc (READ_BLOCK);
  ctx.out = g_byte_array_sized_new (READ_BLOCK * 2);
  ctx.bytes_read = bytes_read;
  ctx.cancellable = cancellable;
  ctx.record_func = record_func;
  ctx.warning_func = warning_func;
  ctx.user_data = user_data;

  reader = xmlReaderForIO (io_read, io_close, &ctx, path, NULL,
                           XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (reader == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot start reading the file %s."), path);
      goto out;
    }
  xmlTextReaderSetStructuredErrorHandler (reader, structured_error, &ctx);

  s_add = xmlTextReaderConstString (reader, BAD_CAST "addRequest");
  s_modify = xmlTextReaderConstString (reader, BAD_CAST "modifyRequest");
  s_delete = xmlTextReaderConstString (reader, BAD_CAST "deleteRequest");
  s_operational = xmlTextReaderConstString (reader, BAD_CAST "operationalAttributes");
  s_identifier = xmlTextReaderConstString (reader, BAD_CAST "identifier");
  s_attributes = xmlTextReaderConstString (reader, BAD_CAST "attributes");
  s_modifications = xmlTextReaderConstString (reader, BAD_CAST "modifications");
  s_attr = xmlTextReaderConstString (reader, BAD_CAST "attr");
  s_modification = xmlTextReaderConstString (reader, BAD_CAST "modification");
  s_id = xmlTextReaderConstString (reader, BAD_CAST "id");
  s_value = xmlTextReaderConstString (reader, BAD_CAST "value");

  record = sesame_aaf_record_new ();

  while ((ret = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      int depth;
      const xmlChar *name;

      if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
          type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE)
        {
          if (capturing)
            {
              const char *value = (const char *) xmlTextReaderConstValue (reader);

              if (value != NULL)
                g_string_append (record->text, value);
            }
          continue;
        }

      depth = xmlTextReaderDepth (reader);

      if (type == XML_READER_TYPE_ELEMENT)
        {
          guint line = _sesame_aaf_filter_pop_element_line (ctx.filter);
          gboolean empty = xmlTextReaderIsEmptyElement (reader);

          if (line == 0)
            line = xmlTextReaderGetParserLineNumber (reader);
          name = xmlTextReaderConstLocalName (reader);

          if (depth == 1)
            {
              in_record = name == s_add || name == s_modify || name == s_delete;
              if (!in_record)
                {
                  if (warning_func != NULL)
                    {
                      g_autofree char *message =
                        g_strdup_printf (_("the element <%s> is not an AAF request; it was skipped"), (const char *) name);
                      warning_func (ctx.display_name, line, message, user_data);
                    }
                  continue;
                }
              record_reset (record);
              record->line = line;
              record->operation = name == s_add ? SESAME_AAF_OPERATION_ADD
                                : name == s_modify ? SESAME_AAF_OPERATION_MODIFY
                                : SESAME_AAF_OPERATION_DELETE;
              section = SECTION_NONE;
              if (empty)
                in_record = FALSE;
            }
          else if (!in_record)
            continue;
          else if (depth == 2)
            {
              if (name == s_operational)
                section = SECTION_OPERATIONAL;
              else if (name == s_identifier)
                section = SECTION_IDENTIFIER;
              else if (name == s_attributes || name == s_modifications)
                section = SECTION_ATTRIBUTES;
              else
                section = SECTION_NONE;
            }
          else if (depth == 3)
            {
              attr_open = FALSE;
              operational_attr = FALSE;
              if (section == SECTION_IDENTIFIER && name == s_id)
                {
                  record->id = record->text->len;
                  if (empty)
                    g_string_append_c (record->text, '\0');
                  else
                    {
                      capturing = TRUE;
                      capture_start = record->id;
                    }
                }
              else if (section == SECTION_OPERATIONAL && name == s_attr)
                {
                  const char *attr_name = node_attribute (xmlTextReaderCurrentNode (reader), "name");

                  operational_attr = attr_name != NULL && g_str_has_prefix (attr_name, "categorie");
                }
              else if (section == SECTION_ATTRIBUTES && (name == s_attr || name == s_modification))
                {
                  const char *attr_name = node_attribute (xmlTextReaderCurrentNode (reader), "name");
                  Attribute attribute = { 0 };

                  if (attr_name == NULL)
                    continue;
                  attribute.name = record->text->len;
                  attribute.first = record->offsets->len;
                  attribute.line = line;
                  g_string_append_len (record->text, attr_name, strlen (attr_name) + 1);
                  g_array_append_val (record->attributes, attribute);
                  attr_open = TRUE;
                }
            }
          else if (depth == 4 && name == s_value && (attr_open || operational_attr))
            {
              if (operational_attr)
                {
                  if (record->category != G_MAXUINT)
                    continue;
                  record->category = record->text->len;
                }
              else
                {
                  guint offset = record->text->len;

                  g_array_append_val (record->offsets, offset);
                  g_array_index (record->attributes, Attribute, record->attributes->len - 1).n_values++;
                }
              capture_start = record->text->len;
              if (empty)
                g_string_append_c (record->text, '\0');
              else
                capturing = TRUE;
            }
          continue;
        }

      if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (capturing && (depth == 3 || depth == 4))
            {
              end_value (record, capture_start);
              capturing = FALSE;
            }
          if (depth == 3)
            {
              attr_open = FALSE;
              operational_attr = FALSE;
            }
          else if (depth == 1 && in_record)
            {
              in_record = FALSE;
              record_resolve (record);
              if (!record_func (record, user_data, error))
                goto out;
            }
          continue;
        }

      if (type == XML_READER_TYPE_ENTITY_REFERENCE && capturing && warning_func != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("the entity “&%s;” is not defined; it was left out"),
                             (const char *) xmlTextReaderConstLocalName (reader));
          warning_func (ctx.display_name, xmlTextReaderGetParserLineNumber (reader), message, user_data);
        }
    }

  if (ctx.cancelled || g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_CANCELLED, _("The import was cancelled."));
      goto out;
    }
  if (ctx.read_errno != 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot read the file %s: %s."), path, g_strerror (ctx.read_errno));
      goto out;
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
  if (ret < 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The file %s cannot be read past line %u: %s. Check that it is an AAF file, or ask for it again."),
                   path, ctx.error_line ? ctx.error_line : (guint) xmlTextReaderGetParserLineNumber (reader),
                   ctx.error_message ? ctx.error_message : _("malformed XML"));
      goto out;
    }

  ok = TRUE;

out:
  if (reader != NULL)
    xmlFreeTextReader (reader);
  close (ctx.fd);
  _sesame_aaf_filter_free (ctx.filter);
  g_free (ctx.block);
  g_byte_array_unref (ctx.out);
  g_free (ctx.display_name);
  g_free (ctx.error_message);
  return ok;
}
