/* sesame-document-language.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a family, a pupil or GEPI receives is written in the store's
 * document language, whatever the language of the desk that prints or
 * sends it: a letter printed on an English desktop, or by a script running
 * under LANG=C, must still say "Madame, Monsieur" and mark a personalised
 * password with the very words GEPI's mail merge expects.
 *
 * The rendering code keeps its plain _() calls. A rendering takes the
 * document language for its thread (_sesame_store_push_document_language() …
 * _pop()); the files that render documents include
 * sesame-document-language-private.h, whose _() then looks the string up
 * in the document language's catalog while one is pushed on the calling
 * thread, and goes to gettext as usual otherwise. Other threads, and the
 * same thread after the pop, keep the desk's language.
 *
 * The catalog is the installed (or built) sesame.mo itself, read here
 * rather than through gettext: gettext would need the document language's
 * system locale (fr_FR.UTF-8) to be generated on the desk, and would let
 * the LANGUAGE variable of an English session override it. Reading the
 * .mo file needs neither: the desk only needs Sésame's own translations.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-document-language"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "sesame-document-language-private.h"

/* The .mo format, as GNU gettext writes it. */
#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U

typedef struct
{
  const char *text;   /* the translation; plural forms separated by NULs */
  guint32     length; /* of all forms, without the final NUL */
} Translation;

typedef struct
{
  const char *code;
  const char *label;          /* the language's own name */
  gboolean    source;         /* the strings of the source are in it */
  gsize       loaded;         /* g_once flag of the catalog */
  GBytes     *mo;             /* the file, kept for the strings it holds */
  GHashTable *translations;   /* msgid (with context) -> Translation */
} DocumentLanguage;

static DocumentLanguage languages[] = {
  { .code = "fr", .label = "Français" },
  { .code = "en", .label = "English", .source = TRUE },
};

static const char * const language_codes[] = { "fr", "en", NULL };

static GPrivate language_stack = G_PRIVATE_INIT ((GDestroyNotify) g_ptr_array_unref);

static DocumentLanguage *
find_language (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (languages[i].code, code))
      return &languages[i];
  return NULL;
}

/**
 * sesame_document_languages:
 * Lists the languages letters, slips, emails, identifier files and send
 * reports can be written in, whatever the language of the interface.
 *
 * Returns: (transfer none) (array zero-terminated=1): the codes of the
 *   languages documents can be written in, "fr" first
 */
const char * const *
sesame_document_languages (void)
{
  return language_codes;
}

/**
 * sesame_document_language_get_label:
 * @code: (nullable): a language code, e.g. "fr"
 *
 * Gives a document language's name as its own speakers write it, for the
 * choice in the preferences and sesamectl.
 *
 * Returns: (transfer none) (nullable): the language's name in that
 *   language ("Français", "English"), or %NULL for an unknown code
 */
const char *
sesame_document_language_get_label (const char *code)
{
  DocumentLanguage *language = find_language (code);

  return language ? language->label : NULL;
}

/**
 * sesame_document_language_is_valid:
 * @code: (nullable): a language code
 *
 * Tells whether @code is one of sesame_document_languages().
 *
 * Returns: whether documents can be written in @code
 */
gboolean
sesame_document_language_is_valid (const char *code)
{
  return find_language (code) != NULL;
}

/* Whether the running program is the one built in BUILD_ROOT, not an
 * installed copy: an installed binary lives elsewhere, even when the build
 * tree that made it is still there. */
static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = NULL;
  char *resolved;

  if (exe == NULL)
    return FALSE;
  resolved = realpath (BUILD_ROOT, NULL);
  if (resolved == NULL)
    return FALSE;
  root = g_strconcat (resolved, G_DIR_SEPARATOR_S, NULL);
  free (resolved);
  return g_str_has_prefix (exe, root);
}

/**
 * sesame_document_language_get_locale_dir:
 *
 * Where Sésame's translations are: `$SESAME_LOCALEDIR` when set, the build
 * tree's `po` folder when the program runs from the build tree (so that
 * `_build/src/sesame/sesame` speaks French before it is installed), the
 * installed locale folder otherwise.
 *
 * Returns: (transfer none): a folder holding `LANG/LC_MESSAGES/sesame.mo`
 */
const char *
sesame_document_language_get_locale_dir (void)
{
  static char *dir;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      const char *env = g_getenv ("SESAME_LOCALEDIR");
      char *found;

      if (env != NULL && *env != '\0')
        found = g_strdup (env);
      else if (running_uninstalled () && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
        found = g_strdup (BUILD_LOCALEDIR);
      else
        found = g_strdup (LOCALEDIR);
      dir = found;
      g_once_init_leave (&done, 1);
    }
  return dir;
}

/**
 * sesame_document_language_bind_text_domain:
 *
 * Binds Sésame's text domain to
 * sesame_document_language_get_locale_dir() in UTF-8 and makes it the
 * default domain: call it at start, after setlocale().
 */
void
sesame_document_language_bind_text_domain (void)
{
  bindtextdomain (GETTEXT_PACKAGE, sesame_document_language_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static guint32
read_u32 (const guint8 *data,
          gsize         offset,
          gboolean      swapped)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* Indexes a .mo file; FALSE when it is not one or is cut short. */
static gboolean
index_catalog (GBytes     *mo,
               GHashTable *translations)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (mo, &size);
  guint32 magic, n, originals, targets;
  gboolean swapped;

  if (size < 20)
    return FALSE;
  memcpy (&magic, data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    return FALSE;
  swapped = magic == MO_MAGIC_SWAPPED;
  n = read_u32 (data, 8, swapped);
  originals = read_u32 (data, 12, swapped);
  targets = read_u32 (data, 16, swapped);
  if ((guint64) originals + (guint64) n * 8 > size || (guint64) targets + (guint64) n * 8 > size)
    return FALSE;

  for (guint32 i = 0; i < n; i++)
    {
      guint32 original_length = read_u32 (data, originals + i * 8, swapped);
      guint32 original_offset = read_u32 (data, originals + i * 8 + 4, swapped);
      guint32 target_length = read_u32 (data, targets + i * 8, swapped);
      guint32 target_offset = read_u32 (data, targets + i * 8 + 4, swapped);
      Translation *translation;

      /* Each string is followed by a NUL inside the file. */
      if ((guint64) original_offset + original_length >= size ||
          (guint64) target_offset + target_length >= size ||
          data[original_offset + original_length] != '\0' ||
          data[target_offset + target_length] != '\0')
        return FALSE;
      if (original_length == 0)
        continue;  /* the header */

      translation = g_new (Translation, 1);
      translation->text = (const char *) data + target_offset;
      translation->length = target_length;
      /* A plural entry's original is "singular\0plural": keyed by the singular. */
      g_hash_table_replace (translations, (gpointer) (data + original_offset), translation);
    }
  return TRUE;
}

static void
load_catalog (DocumentLanguage *language)
{
  const char *bound = bindtextdomain (GETTEXT_PACKAGE, NULL);
  /* Where the program bound its domain, else where Sésame's own catalogs
   * are (a program that did not bind it, such as a test, still finds them). */
  const char *dirs[] = { bound, sesame_document_language_get_locale_dir (), LOCALEDIR };

  language->translations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  if (language->source)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) mo = NULL;
      gsize length;

      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], language->code, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      mo = g_bytes_new_take (g_steal_pointer (&contents), length);
      if (!index_catalog (mo, language->translations))
        {
          g_warning ("%s is not a valid translation catalog: reinstall Sésame. "
                     "Documents are written in English meanwhile.", path);
          g_hash_table_remove_all (language->translations);
          continue;
        }
      language->mo = g_steal_pointer (&mo);
      return;
    }

  g_warning ("The translations of Sésame into “%s” are not installed (%s/%s/LC_MESSAGES/%s.mo): "
             "documents are written in English until they are.",
             language->code, sesame_document_language_get_locale_dir (), language->code, GETTEXT_PACKAGE);
}

static DocumentLanguage *
current_language (void)
{
  GPtrArray *stack = g_private_get (&language_stack);
  DocumentLanguage *language;

  if (stack == NULL || stack->len == 0)
    return NULL;
  language = g_ptr_array_index (stack, stack->len - 1);
  if (g_once_init_enter (&language->loaded))
    {
      load_catalog (language);
      g_once_init_leave (&language->loaded, 1);
    }
  return language;
}

/**
 * _sesame_document_language_push_code:
 * @code: a document language, e.g. "fr"; an unknown code means French
 *
 * Until the matching _sesame_document_language_pop() on this thread, the
 * _() of the files that include sesame-document-language-private.h
 * translate into @code. Pushes nest.
 */
void
_sesame_document_language_push_code (const char *code)
{
  GPtrArray *stack = g_private_get (&language_stack);
  DocumentLanguage *language = find_language (code);

  if (language == NULL)
    language = find_language (SESAME_DOCUMENT_LANGUAGE_DEFAULT);
  if (stack == NULL)
    {
      stack = g_ptr_array_new ();
      g_private_set (&language_stack, stack);
    }
  g_ptr_array_add (stack, language);
}

/**
 * _sesame_document_language_pop:
 *
 * Gives back the language this thread had before the last push.
 */
void
_sesame_document_language_pop (void)
{
  GPtrArray *stack = g_private_get (&language_stack);

  g_return_if_fail (stack != NULL && stack->len > 0);
  g_ptr_array_set_size (stack, stack->len - 1);
}

/**
 * _sesame_document_language_current:
 *
 * Returns: (nullable): the document language this thread renders in, or
 *   %NULL outside a rendering
 */
const char *
_sesame_document_language_current (void)
{
  GPtrArray *stack = g_private_get (&language_stack);

  if (stack == NULL || stack->len == 0)
    return NULL;
  return ((DocumentLanguage *) g_ptr_array_index (stack, stack->len - 1))->code;
}

static const Translation *
lookup (DocumentLanguage *language,
        const char       *key)
{
  const Translation *translation = g_hash_table_lookup (language->translations, key);

  /* An empty translation means an untranslated entry. */
  if (translation == NULL || translation->length == 0)
    return NULL;
  return translation;
}

/* The real functions, out of reach of the header's macros. */
#undef g_dgettext
#undef g_dpgettext
#undef g_dpgettext2
#undef g_dngettext

/**
 * _sesame_document_dgettext:
 * @domain: the text domain
 * @msgid: the English string
 *
 * What _() is in a document file: g_dgettext() outside a rendering.
 *
 * Returns: (transfer none): the translation
 */
const char *
_sesame_document_dgettext (const char *domain,
                           const char *msgid)
{
  DocumentLanguage *language = current_language ();
  const Translation *translation;

  if (language == NULL)
    return g_dgettext (domain, msgid);
  translation = lookup (language, msgid);
  return translation ? translation->text : msgid;
}

/**
 * _sesame_document_dpgettext:
 * @domain: the text domain
 * @msgctxtid: "context\004msgid" (or "context|msgid" when @msgidoffset is 0)
 * @msgidoffset: where msgid starts in @msgctxtid, or 0
 *
 * What C_() is in a document file: g_dpgettext() outside a rendering.
 *
 * Returns: (transfer none): the translation
 */
const char *
_sesame_document_dpgettext (const char *domain,
                            const char *msgctxtid,
                            gsize       msgidoffset)
{
  DocumentLanguage *language = current_language ();
  const Translation *translation;
  g_autofree char *key = NULL;
  const char *sep;

  if (language == NULL)
    return g_dpgettext (domain, msgctxtid, msgidoffset);

  if (msgidoffset > 0)
    {
      translation = lookup (language, msgctxtid);
      return translation ? translation->text : msgctxtid + msgidoffset;
    }

  translation = lookup (language, msgctxtid);
  if (translation != NULL)
    return translation->text;
  sep = strchr (msgctxtid, '|');
  if (sep == NULL)
    return msgctxtid;
  key = g_strdup (msgctxtid);
  key[sep - msgctxtid] = '\004';
  translation = lookup (language, key);
  return translation ? translation->text : sep + 1;
}

/**
 * _sesame_document_dpgettext2:
 * @domain: the text domain
 * @context: the message context
 * @msgid: the English string
 *
 * g_dpgettext2() in a document file.
 *
 * Returns: (transfer none): the translation
 */
const char *
_sesame_document_dpgettext2 (const char *domain,
                             const char *context,
                             const char *msgid)
{
  DocumentLanguage *language = current_language ();
  const Translation *translation;
  g_autofree char *key = NULL;

  if (language == NULL)
    return g_dpgettext2 (domain, context, msgid);
  key = g_strconcat (context, "\004", msgid, NULL);
  translation = lookup (language, key);
  return translation ? translation->text : msgid;
}

/* The plural rules of the document languages: French counts 0 and 1 as
 * singular, English only 1. */
static guint
plural_form (DocumentLanguage *language,
             gulong            n)
{
  if (g_str_equal (language->code, "fr"))
    return n > 1 ? 1 : 0;
  return n != 1 ? 1 : 0;
}

/**
 * _sesame_document_dngettext:
 * @domain: the text domain
 * @msgid: the English singular
 * @msgid_plural: the English plural
 * @n: the count
 *
 * g_dngettext() in a document file.
 *
 * Returns: (transfer none): the translation
 */
const char *
_sesame_document_dngettext (const char *domain,
                            const char *msgid,
                            const char *msgid_plural,
                            gulong      n)
{
  DocumentLanguage *language = current_language ();
  const Translation *translation;
  guint form;
  const char *text, *end;

  if (language == NULL)
    return g_dngettext (domain, msgid, msgid_plural, n);

  form = plural_form (language, n);
  translation = lookup (language, msgid);
  if (translation == NULL)
    return n != 1 ? msgid_plural : msgid;

  /* The forms follow each other, separated by NULs. */
  text = translation->text;
  end = translation->text + translation->length;
  for (guint i = 0; i < form && text < end; i++)
    text += strlen (text) + 1;
  return text < end ? text : translation->text;
}
