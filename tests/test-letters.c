/* test-letters.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Slips and letters, read back from the PDF with poppler's pdftotext.
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sesame-accounts-private.h"
#include "sesame-credentials-private.h"
#include "sesame-letters.h"
#include "sesame.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

typedef struct
{
  SesameTestFixture  base;  /* the small school */
  char              *pdf;
} Fixture;

#define ENT_NAME "Mon ENT 74"
#define ENT_URL  "https://ent.mon-ent-74.example.fr"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_fixture_set_up (&fixture->base, data);
  fixture->pdf = g_build_filename (fixture->base.dir, "letters.pdf", NULL);
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, ENT_NAME, &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, ENT_URL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->pdf);
  sesame_test_fixture_tear_down (&fixture->base, data);
}

/* The text of one page (from 1), or of the whole file (page 0), laid out
 * as on paper: what stands left on a line comes first. */
static char *
pdf_text (const char *path,
          guint       page)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_strdup_printf ("%u", page ? page : 1);
  g_autofree char *last = g_strdup_printf ("%u", page ? page : 100000);
  char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "pdftotext", "-layout", "-enc", "UTF-8",
                              "-f", first, "-l", last, path, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

static guint
pdf_n_pages (const char *path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *line;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "pdfinfo", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  line = strstr (out, "Pages:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("Pages:") + strspn (line + strlen ("Pages:"), " "), NULL, 10);
}

typedef struct
{
  char   *text;
  double  x_min, y_min, x_max, y_max;
} Word;

static void
word_free (Word *word)
{
  g_free (word->text);
  g_free (word);
}

/* The words of a page with their boxes, in points from the top left. */
static GPtrArray *
pdf_words (const char *path,
           guint       page)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func ((GDestroyNotify) word_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = g_strdup_printf ("%u", page);
  g_autofree char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "pdftotext", "-bbox", "-enc", "UTF-8",
                              "-f", number, "-l", number, path, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  regex = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>",
                       0, 0, &error);
  g_assert_no_error (error);
  g_regex_match (regex, out, 0, &match);
  while (g_match_info_matches (match))
    {
      Word *word = g_new0 (Word, 1);
      g_autofree char *x_min = g_match_info_fetch (match, 1);
      g_autofree char *y_min = g_match_info_fetch (match, 2);
      g_autofree char *x_max = g_match_info_fetch (match, 3);
      g_autofree char *y_max = g_match_info_fetch (match, 4);

      word->x_min = g_ascii_strtod (x_min, NULL);
      word->y_min = g_ascii_strtod (y_min, NULL);
      word->x_max = g_ascii_strtod (x_max, NULL);
      word->y_max = g_ascii_strtod (y_max, NULL);
      word->text = g_match_info_fetch (match, 5);
      g_ptr_array_add (words, word);
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (words->len, >, 0);
  return g_steal_pointer (&words);
}

static const Word *
find_word (GPtrArray  *words,
           const char *needle)
{
  for (guint i = 0; i < words->len; i++)
    {
      const Word *word = g_ptr_array_index (words, i);

      if (strstr (word->text, needle) != NULL)
        return word;
    }
  g_error ("No word holds “%s”", needle);
  return NULL;
}

#define MM(x) ((x) * 72.0 / 25.4)

/* Whether a comes before b in text, both present. */
static void
assert_before (const char *text,
               const char *a,
               const char *b)
{
  const char *pa = strstr (text, a);
  const char *pb = strstr (text, b);

  if (pa == NULL || pb == NULL || pa >= pb)
    g_error ("“%s” should come before “%s” in:\n%s", a, b, text);
}

static char *
without_spaces (const char *text)
{
  GString *result = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (result, g_utf8_get_char (p));
  return g_string_free (result, FALSE);
}

/* Present, maybe wrapped over several lines. */
static void
assert_contains (const char *text,
                 const char *needle)
{
  g_autofree char *squeezed_text = without_spaces (text);
  g_autofree char *squeezed_needle = without_spaces (needle);

  if (strstr (text, needle) == NULL && strstr (squeezed_text, squeezed_needle) == NULL)
    g_error ("“%s” is missing from:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("“%s” should not be in:\n%s", needle, text);
}

static char *
first_password (SesameStore *store,
                const char  *login)
{
  g_autoptr(SesamePerson) person = sesame_accounts_find (store, login, NULL);

  g_assert_nonnull (person);
  return _sesame_credentials_dup_first_password (store, sesame_person_get_key (person));
}

static SesameLetterBatch *
export (Fixture           *fixture,
        SesameLetterQuery *query)
{
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_true (sesame_letter_batch_export_pdf (batch, fixture->pdf, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_n_pages (fixture->pdf), ==, sesame_letter_batch_get_n_pages (batch));
  return g_steal_pointer (&batch);
}

static void
sql (SesameStore *store,
     const char  *statement)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_exec (store, statement, &error));
  g_assert_no_error (error);
}

static void
test_slips_by_class (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *eloise = first_password (fixture->base.store, "eloise.dupont");
  g_autofree char *zoe = first_password (fixture->base.store, "zoe.martin");
  GStatBuf st;

  query->establishment = g_strdup ("0740017S");
  query->profile = SESAME_PROFILE_ELEVE;
  batch = export (fixture, query);

  /* Four pupils of two classes: one page per class, "5 B" before "6A". */
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 4);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 4);
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 0);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 2);

  page1 = pdf_text (fixture->pdf, 1);
  page2 = pdf_text (fixture->pdf, 2);
  assert_contains (page1, "Class 5 B");
  assert_contains (page1, "sheet 1 of 1");
  assert_before (page1, "Anne-Sophie D'ALMEIDA", "Zoé MARTIN");
  assert_contains (page1, "zoe.martin");
  assert_contains (page1, zoe);
  assert_lacks (page1, "DUPONT");
  assert_contains (page2, "Class 6A");
  assert_before (page2, "Éloïse DUPONT", "Jean DUPONT");
  assert_contains (page2, "eloise.dupont");
  assert_contains (page2, eloise);
  assert_contains (page2, "Collège Les Aravis");
  assert_contains (page2, ENT_URL);
  assert_lacks (page2, "MARTIN");

  /* It holds passwords: its owner alone may read it. */
  g_assert_cmpint (g_stat (fixture->pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_slips_pages (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autofree char *page3 = NULL;
  g_autofree char *page4 = NULL;
  g_autoptr(GError) error = NULL;

  /* 6A grows to 19 pupils, "Élève 01" to "Élève 17": three sheets of 8. */
  g_assert_true (_sesame_store_begin (fixture->base.store, &error));
  for (guint i = 1; i <= 17; i++)
    {
      g_autofree char *key = g_strdup_printf ("X%02u", i);
      g_autofree char *first = g_strdup_printf ("Élève %02u", i);

      g_string_printf (rows,
                       "INSERT INTO persons (key, kind, profile, last_name, first_name, structure, first_seen_at)"
                       " VALUES ('%s', 'Eleve', 1, 'Zidane', '%s', '52006', 0);"
                       "INSERT INTO memberships (person_key, structure, kind, code) VALUES ('%s', '52006', 'class', '6A');",
                       key, first, key);
      sql (fixture->base.store, rows->str);
      g_assert_true (_sesame_accounts_create (fixture->base.store, NULL, key, SESAME_PROFILE_ELEVE,
                                              first, "Zidane", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_sesame_store_commit (fixture->base.store, &error));

  query->establishment = g_strdup ("0740017S");
  query->profile = SESAME_PROFILE_ELEVE;
  batch = export (fixture, query);

  /* 5 B on one page, 6A (19 pupils) on three: a class starts a new page. */
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 21);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 4);
  page3 = pdf_text (fixture->pdf, 3);
  page4 = pdf_text (fixture->pdf, 4);
  assert_contains (page3, "Class 6A");
  assert_contains (page3, "sheet 2 of 3");
  assert_before (page3, "Élève 07 ZIDANE", "Élève 14 ZIDANE");
  assert_lacks (page3, "Élève 15");
  assert_contains (page4, "sheet 3 of 3");
  assert_before (page4, "Élève 15 ZIDANE", "Élève 17 ZIDANE");
}

static void
test_parent_letters (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autofree char *marie = first_password (fixture->base.store, "marie.dupont");
  g_autofree char *claire = first_password (fixture->base.store, "claire.martin");
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *page3 = NULL;

  query->establishment = g_strdup ("0740017S");
  query->profile = SESAME_PROFILE_PARENT;
  batch = export (fixture, query);

  /* One letter per parent, by name. */
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 3);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 3);
  page1 = pdf_text (fixture->pdf, 1);
  page2 = pdf_text (fixture->pdf, 2);
  page3 = pdf_text (fixture->pdf, 3);

  assert_contains (page1, "Mme Marie DUPONT");
  assert_contains (page1, "3 RUE DES ÉCOLES");
  assert_contains (page1, "74220 LA CLUSAZ");
  assert_contains (page1, "Collège Les Aravis");
  assert_contains (page1, "12 route des Aravis");
  assert_contains (page1, "ACADEMY OF GRENOBLE");
  assert_contains (page1, "Madam,");
  assert_before (page1, "Éloïse DUPONT, class 6A", "Jean DUPONT, class 6A");
  assert_contains (page1, "marie.dupont");
  assert_contains (page1, marie);
  assert_contains (page1, "Hélène ROCHE");
  assert_contains (page1, "first password");

  assert_contains (page2, "M. Paul DUPONT");
  assert_contains (page2, "Sir,");
  assert_contains (page2, "Jean DUPONT");
  assert_lacks (page2, marie);

  assert_contains (page3, "Mme Claire MARTIN");
  assert_contains (page3, "CHALET LES SAPINS");
  assert_before (page3, "CHALET LES SAPINS", "LIEU-DIT LE CRÊT");
  assert_contains (page3, "Zoé MARTIN, class 5 B");
  assert_lacks (page3, "Éloïse");
  assert_contains (page3, claire);
}

static void
test_class_and_guardians (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autofree char *text = NULL;

  /* A class: its pupils on slips, their guardians on letters. */
  query->class_name = g_strdup ("6a");
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 2);
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 2);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 3);
  text = pdf_text (fixture->pdf, 0);
  assert_before (text, "Class 6A", "Mme Marie DUPONT");
  assert_before (text, "Mme Marie DUPONT", "M. Paul DUPONT");
  assert_lacks (text, "Claire");
  g_clear_object (&batch);

  /* Slips for everyone, as at the desk. */
  query->kind = SESAME_LETTER_KIND_SLIPS;
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 4);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 2);
  g_clear_pointer (&text, g_free);
  text = pdf_text (fixture->pdf, 2);
  assert_contains (text, "Parents");
  assert_contains (text, "Parent of Éloïse DUPONT, Jean DUPONT");
}

static void
test_personalised (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *marie = first_password (fixture->base.store, "marie.dupont");
  g_autofree char *jean = first_password (fixture->base.store, "jean.dupont");
  g_autofree char *fresh = NULL;
  g_autofree char *text = NULL;

  /* Marie signed in and chose her password; Jean too, then lost it and the
   * desk regenerated one. */
  g_assert_true (sesame_passwords_change (fixture->base.store, "marie.dupont", marie, "Chamonix-1924", &error));
  g_assert_no_error (error);
  g_assert_true (sesame_passwords_change (fixture->base.store, "jean.dupont", jean, "skieur-alpin", &error));
  g_assert_no_error (error);
  fresh = sesame_accounts_reset_password (fixture->base.store, "jean.dupont", &error);
  g_assert_no_error (error);

  query->logins = g_strsplit ("marie.dupont jean.dupont", " ", -1);
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 2);
  g_assert_cmpuint (sesame_letter_batch_get_n_expired (batch), ==, 0);

  text = pdf_text (fixture->pdf, 0);
  assert_contains (text, "password already personalised");
  assert_lacks (text, marie);
  assert_lacks (text, "Chamonix-1924");
  assert_lacks (text, jean);
  assert_contains (text, fresh);
}

static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autofree char *text = NULL;

  /* Never signed in, and the first password is gone. */
  sql (fixture->base.store, "UPDATE credentials SET expires_at = 1 WHERE person_key = 'P3'");
  query->logins = g_strsplit ("zoe.martin", " ", -1);
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_expired (batch), ==, 1);
  text = pdf_text (fixture->pdf, 0);
  assert_contains (text, "ask the school office for a new one");
}

static void
test_no_staff (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Everything in the store: pupils and parents, never academy staff. */
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 5);
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 4);
  text = pdf_text (fixture->pdf, 0);
  assert_lacks (text, "luc.bernard");
  assert_lacks (text, "helene.roche");
  assert_lacks (text, "sophie.garnier");
  assert_lacks (text, "marc.faure");
  assert_lacks (text, "Luc BERNARD");
  /* Two establishments: the lycée's pupil and parent too. */
  assert_contains (text, "Lycée Berthollet");
  assert_contains (text, "Mme Nathalie DUPONT");
  g_clear_object (&batch);

  /* Asking for them by name prints nothing. */
  query->logins = g_strsplit ("luc.bernard helene.roche", " ", -1);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_null (batch);
  g_clear_error (&error);

  /* In a selection, they are left out. */
  g_strfreev (query->logins);
  query->logins = g_strsplit ("luc.bernard zoe.martin", " ", -1);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 1);
  g_clear_object (&batch);

  /* Or by profile. */
  g_clear_pointer (&query->logins, g_strfreev);
  query->profile = SESAME_PROFILE_ENSEIGNANT;
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_assert_null (batch);
}

static void
test_disabled_and_unknown (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Zoé left: her account is disabled, her slip never printed. */
  g_assert_true (_sesame_store_begin (fixture->base.store, &error));
  g_assert_true (_sesame_accounts_disable (fixture->base.store, "P3", &error));
  g_assert_true (_sesame_store_commit (fixture->base.store, &error));
  g_assert_no_error (error);

  query->class_name = g_strdup ("5 B");
  query->profile = SESAME_PROFILE_ELEVE;
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 1);
  text = pdf_text (fixture->pdf, 0);
  assert_contains (text, "Anne-Sophie D'ALMEIDA");
  assert_lacks (text, "Zoé");
  g_clear_object (&batch);

  g_clear_pointer (&query->class_name, g_free);
  query->logins = g_strsplit ("zoe.martin", " ", -1);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);

  g_strfreev (query->logins);
  query->logins = g_strsplit ("nobody.here", " ", -1);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nobody.here"));
  g_clear_error (&error);

  g_clear_pointer (&query->logins, g_strfreev);
  query->class_name = g_strdup ("3Z");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&query->class_name, g_free);
  query->establishment = g_strdup ("9999999Z");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_roles_grant (fixture->base.store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);

  /* An operator without the role prints nothing. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "marc.faure", &error));
  query->class_name = g_strdup ("6A");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_null (batch);
  g_clear_error (&error);

  /* The main teacher of 6A prints his class and its guardians… */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "luc.bernard", &error));
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 4);
  g_clear_object (&batch);

  /* …but not the whole establishment: the batch is refused, naming the
   * first person outside his scope. */
  g_clear_pointer (&query->class_name, g_free);
  query->establishment = g_strdup ("0740017S");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Zoé MARTIN"));
  g_assert_nonnull (strstr (error->message, "zoe.martin"));
  g_assert_null (batch);
  g_clear_error (&error);

  /* Nor a selection that strays out of it. */
  g_clear_pointer (&query->establishment, g_free);
  query->logins = g_strsplit ("eloise.dupont claire.martin", " ", -1);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Claire MARTIN"));
  g_clear_error (&error);

  /* A manager of the whole collège cannot print for the lycée. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, NULL, &error));
  g_assert_true (sesame_roles_grant (fixture->base.store, "sophie.garnier", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "sophie.garnier", &error));
  g_assert_no_error (error);
  g_clear_pointer (&query->logins, g_strfreev);
  query->establishment = g_strdup ("0740017S");
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 7);
  g_clear_object (&batch);
  g_free (query->establishment);
  query->establishment = g_strdup ("0740018T");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Jean DUPONT"));
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = first_password (fixture->base.store, "eloise.dupont");
  SesameAuditEntry *entry;

  query->class_name = g_strdup ("6A");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);

  /* Reading the pages is not printing them. */
  entries = sesame_audit_list (fixture->base.store, FALSE, 10, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpstr (((SesameAuditEntry *) g_ptr_array_index (entries, i))->action, !=, "print");
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_assert_true (sesame_letter_batch_record_printed (batch, fixture->base.store, &error));
  g_assert_no_error (error);
  entries = sesame_audit_list (fixture->base.store, FALSE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >=, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action, ==, "print");
  g_assert_cmpstr (entry->target, ==, "6A");
  g_assert_cmpstr (entry->detail, ==, "4");
  for (guint i = 0; i < entries->len; i++)
    {
      entry = g_ptr_array_index (entries, i);
      g_assert_null (strstr (entry->target, password));
      g_assert_null (strstr (entry->detail, password));
    }
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (strstr (sesame_letters_default_text (), "{ent}"));

  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, "Skolengo", &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, "https://ent.aravis.example.fr", &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_LETTER_TEXT,
                                            "Welcome to {ent} at {establishment}.", &error));
  g_assert_no_error (error);

  query->logins = g_strsplit ("marie.dupont zoe.martin", " ", -1);
  batch = export (fixture, query);
  text = pdf_text (fixture->pdf, 0);
  assert_contains (text, "https://ent.aravis.example.fr");
  assert_contains (text, "Welcome to Skolengo at Collège Les Aravis.");
  assert_contains (text, "Subject: your Skolengo account");
  assert_lacks (text, ENT_URL);
}

static void
test_long_texts (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GString) essay = g_string_new (NULL);
  g_autoptr(GPtrArray) slips = NULL;
  g_autoptr(GPtrArray) letter = NULL;
  g_autoptr(GError) error = NULL;
  const Word *end, *children, *login;

  /* A paragraph as long as the settings accept, names, an address and an establishment far
   * too long: every text keeps to its box. */
  for (guint i = 0; i < 21; i++)
    g_string_append_printf (essay, "Sentence number %u of a very long paragraph. ", i);
  g_string_append (essay, "THE-END-OF-THE-ESSAY");
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_LETTER_TEXT, essay->str, &error));
  g_assert_no_error (error);
  sql (fixture->base.store,
       "UPDATE persons SET first_name = 'Marie-Bernadette-Antoinette-Joséphine',"
       " last_name = 'de La Tour du Pin Chambly de La Charce de Gouvernet',"
       " address = 'Résidence des Grandes Alpes Bâtiment C Escalier 4 Appartement 1234\nChemin des Écoliers qui ne finit jamais vraiment\nLieu-dit\nHameau\nQuartier\nSecteur'"
       " WHERE key = 'P5';"
       "UPDATE persons SET first_name = 'Jean-Christophe-Emmanuel-Marie', last_name = 'Van Der Berghe-Dupont de la Villardière'"
       " WHERE key = 'P2';"
       "UPDATE establishments SET name = 'Collège Les Aravis et Annexe des Hautes Vallées de Savoie et du Mont-Blanc réunies'"
       " WHERE jointure = '52006';");
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL,
                                            "https://www.ent-des-colleges-et-lycees.auvergnerhonealpes.example.fr/", &error));

  query->logins = g_strsplit ("marie.dupont jean.dupont eloise.dupont", " ", -1);
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 2);

  /* The slips stay inside their cells. */
  slips = pdf_words (fixture->pdf, 1);
  for (guint i = 0; i < slips->len; i++)
    {
      const Word *word = g_ptr_array_index (slips, i);
      double cell_w = (SESAME_LETTERS_PAGE_WIDTH - MM (20)) / 2;
      double left = word->x_min < MM (10) + cell_w ? MM (10) : MM (10) + cell_w;

      if (word->y_min < MM (26))
        continue;  /* the page's header */
      if (word->x_max > left + cell_w || word->x_min < left || word->y_max > MM (26) + (SESAME_LETTERS_PAGE_HEIGHT - MM (36)) / 4)
        g_error ("“%s” spills out of its slip (%g, %g, %g, %g)", word->text,
                 word->x_min, word->y_min, word->x_max, word->y_max);
    }

  /* The letter: the paragraph ends above the children, the address stays
   * in the envelope's window, the letterhead left of it, and nothing falls
   * off the page. */
  letter = pdf_words (fixture->pdf, 2);
  end = find_word (letter, "THE-END-OF-THE-ESSAY");
  children = find_word (letter, "school");
  login = find_word (letter, "marie.dupont");
  g_assert_cmpfloat (end->y_max, <=, children->y_min);
  g_assert_cmpfloat (children->y_max, <=, login->y_min);
  for (guint i = 0; i < letter->len; i++)
    {
      const Word *word = g_ptr_array_index (letter, i);

      g_assert_cmpfloat (word->x_min, >=, 0);
      g_assert_cmpfloat (word->x_max, <=, SESAME_LETTERS_PAGE_WIDTH - MM (10));
      g_assert_cmpfloat (word->y_max, <=, SESAME_LETTERS_PAGE_HEIGHT - MM (5));
      if (word->y_min >= MM (50) - 1 && word->y_max <= MM (84) + 1 && word->x_min >= MM (110) - 1)
        g_assert_cmpfloat (word->x_max, <=, MM (195) + 0.5);
      else if (word->y_max < MM (45))
        g_assert_cmpfloat (word->x_max, <=, MM (102) + 0.5);
    }
  find_word (letter, "LIEU-DIT");
  find_word (letter, "The");
}

/* A copy of a PDF file whose text is read from its glyphs only. Cairo
 * marks text whose glyphs do not spell it, such as an ellipsis standing
 * for the end of a login, with the text it stands for (ActualText), which
 * pdftotext would print instead of what the paper shows: the copy has its
 * streams inflated and these marks renamed away. Poppler rebuilds the
 * offsets the inflating moved. */
static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return haystack + i;
  return NULL;
}

static char *
pdf_as_printed (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_strconcat (path, ".printed.pdf", NULL);
  const char marker[] = ">>\nstream\n";
  gsize length, pos = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);

  for (;;)
    {
      const char *start = find_bytes (data + pos, length - pos, marker);
      const char *end;
      g_autoptr(GConverter) inflater = NULL;
      g_autoptr(GByteArray) inflated = g_byte_array_new ();
      gsize read_total = 0;
      gboolean ok = TRUE;

      if (start == NULL)
        break;
      start += strlen (marker);
      end = find_bytes (start, data + length - start, "endstream");
      g_assert_nonnull (end);
      g_byte_array_append (out, (const guint8 *) data + pos, start - (data + pos));

      inflater = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
      while (ok)
        {
          guint8 buffer[65536];
          gsize bytes_read = 0, bytes_written = 0;
          GConverterResult result;

          result = g_converter_convert (inflater, start + read_total, end - start - read_total,
                                        buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                        &bytes_read, &bytes_written, NULL);
          if (result == G_CONVERTER_ERROR)
            ok = FALSE;
          read_total += bytes_read;
          g_byte_array_append (inflated, buffer, bytes_written);
          if (result == G_CONVERTER_FINISHED)
            break;
        }

      if (ok)
        {
          guint8 *dict_end = out->data + out->len;
          guint8 *filter = NULL;

          /* The stream's dictionary no longer names its filter. */
          for (guint8 *p = dict_end - strlen (marker); p > out->data && filter == NULL; p--)
            {
              if (memcmp (p, "/Filter /FlateDecode", strlen ("/Filter /FlateDecode")) == 0)
                filter = p;
              else if (memcmp (p, "<<", 2) == 0)
                break;
            }
          if (filter != NULL)
            memset (filter, ' ', strlen ("/Filter /FlateDecode"));
          for (guint i = 0; i + strlen ("/ActualText") <= inflated->len; i++)
            if (memcmp (inflated->data + i, "/ActualText", strlen ("/ActualText")) == 0)
              memcpy (inflated->data + i, "/IgnoredTxt", strlen ("/IgnoredTxt"));
          g_byte_array_append (out, inflated->data, inflated->len);
          g_byte_array_append (out, (const guint8 *) "\n", 1);
        }
      else
        g_byte_array_append (out, (const guint8 *) start, end - start);
      pos = end - data;
    }
  g_byte_array_append (out, (const guint8 *) data + pos, length - pos);

  g_assert_true (g_file_set_contents (copy, (const char *) out->data, out->len, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&copy);
}

/* The text of the whole file in the order it was drawn, without spaces
 * or line breaks: what a text wrapped over lines still holds whole. */
static char *
pdf_squeezed_text (const char *path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *printed = pdf_as_printed (path);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "pdftotext", "-raw", "-enc", "UTF-8", printed, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return without_spaces (out);
}

static void
assert_whole (const char *squeezed,
              const char *text)
{
  g_autofree char *needle = without_spaces (text);
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);
  g_autofree char *folded = g_utf8_casefold (squeezed, -1);

  /* Names may be printed in capitals. */
  if (strstr (squeezed, needle) == NULL && strstr (folded, folded_needle) == NULL)
    g_error ("“%s” is not whole in the PDF:\n%s", text, squeezed);
}

/* A text of exactly `length` characters made of the words given, repeated. */
static char *
text_of_length (const char *words,
                guint       length)
{
  g_autoptr(GString) text = g_string_new (NULL);

  while ((guint) g_utf8_strlen (text->str, -1) < length)
    g_string_append (text, words);
  g_string_truncate (text, g_utf8_offset_to_pointer (text->str, length) - text->str);
  g_strchomp (text->str);
  while ((guint) g_utf8_strlen (text->str, -1) < length)
    g_string_append_c (text, 'x');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_whole_texts (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ent_name = text_of_length ("Cartable en ligne Kosmos Éducation ", SESAME_SETTING_ENT_NAME_MAX);
  g_autofree char *ent_url = NULL;
  g_autofree char *letter = NULL;
  g_autofree char *establishment = text_of_length ("Collège Les Aravis et annexe des Hautes Vallées ", 100);
  g_autofree char *street = text_of_length ("Route des Aravis, bâtiment administratif ", 80);
  g_autofree char *first = text_of_length ("Marie-Bernadette-Antoinette-Joséphine ", 64);
  g_autofree char *last = text_of_length ("de La Tour du Pin Chambly de La Charce ", 64);
  g_autofree char *statements = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *paragraph = NULL;
  const char *login = "jean-christophe.de-la-fontaine-de-saint-exupery-de-montmorency-laval.du-bellay22";
  const char *sentence[] = { "At your first sign-in, choose your own password. Keep it secret.",
                             "Cut along the dotted lines and hand each person their own slip: it holds their password.",
                             "This letter holds personal credentials: keep it in a safe place and do not share it." };
  g_autofree char *password = NULL;
  GString *expanded;

  {
    g_autofree char *rest = text_of_length ("Emploi du temps, cahier de textes, notes et messagerie y sont ouverts. ",
                                            SESAME_SETTING_LETTER_TEXT_MAX - 47);

    letter = g_strconcat ("{establishment} met à votre disposition {ent}. ", rest, NULL);
    g_assert_cmpint (g_utf8_strlen (letter, -1), ==, SESAME_SETTING_LETTER_TEXT_MAX);
  }
  {
    g_autofree char *host = text_of_length ("ent-des-colleges-et-lycees.auvergne-rhone-alpes.", 88);

    ent_url = g_strconcat ("https://", host, ".fr/", NULL);
  }
  g_assert_cmpint (g_utf8_strlen (ent_url, -1), ==, SESAME_SETTING_ENT_URL_MAX);
  g_assert_cmpint (strlen (login), ==, 80);

  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, ent_name, &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, ent_url, &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_LETTER_TEXT, letter, &error));
  g_assert_no_error (error);
  /* One more character is refused: the layout is tested at the limits. */
  {
    g_autofree char *longer = g_strconcat (ent_name, "x", NULL);

    g_assert_false (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, longer, &error));
    g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
    g_clear_error (&error);
  }

  statements = g_strdup_printf ("UPDATE establishments SET name = '%s', street = '%s' WHERE jointure = '52006';"
                                "UPDATE persons SET first_name = '%s', last_name = '%s' WHERE key IN ('P1', 'P5');"
                                "INSERT INTO guardians (pupil_key, parent_key, relationship, legal) VALUES"
                                " ('P3', 'P5', 10, 1), ('P4', 'P5', 10, 1);",
                                establishment, street, first, last);
  sql (fixture->base.store, statements);
  g_assert_true (sesame_accounts_set_login (fixture->base.store, "eloise.dupont", login, &error));
  g_assert_no_error (error);
  password = first_password (fixture->base.store, login);

  query->logins = g_strsplit ("marie.dupont", " ", -1);
  query->logins = g_renew (char *, query->logins, 3);
  query->logins[1] = g_strdup (login);
  query->logins[2] = NULL;
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 1);
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 1);

  squeezed = pdf_squeezed_text (fixture->pdf);
  assert_lacks (squeezed, "…");
  assert_whole (squeezed, login);
  assert_whole (squeezed, password);
  assert_whole (squeezed, ent_name);
  assert_whole (squeezed, ent_url);
  assert_whole (squeezed, establishment);
  assert_whole (squeezed, street);
  assert_whole (squeezed, first);
  assert_whole (squeezed, last);
  for (guint i = 0; i < G_N_ELEMENTS (sentence); i++)
    assert_whole (squeezed, sentence[i]);

  /* The signature stays above the letter's footer, whatever the texts. */
  {
    g_autoptr(GPtrArray) words = pdf_words (fixture->pdf, 2);
    const Word *signature = find_word (words, "ROCHE");

    g_assert_cmpfloat (signature->y_max, <=, SESAME_LETTERS_PAGE_HEIGHT - MM (17));
  }

  expanded = g_string_new (letter);
  g_string_replace (expanded, "{establishment}", establishment, 0);
  g_string_replace (expanded, "{ent}", ent_name, 0);
  paragraph = g_string_free (expanded, FALSE);
  assert_whole (squeezed, paragraph);
}

static char *
pdf_raw_text (const char *path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = pdf_as_printed (path);
  char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "pdftotext", "-raw", "-enc", "UTF-8", printed, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

/* The preview window draws each page scaled to the window, on a screen
 * surface; GtkPrintOperation on the printer's. Both must break and size
 * every text as the PDF does: pages drawn at a preview's scale, into a
 * PDF to read them back, hold the same lines as the export. */
static void
test_preview_matches_pdf (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *preview_pdf = g_build_filename (fixture->base.dir, "preview.pdf", NULL);
  g_autofree char *exported = NULL;
  const double scales[] = { 0.37, 0.61, 0.93, 1.5 };
  const char *logins[] = { "anne-sophie.dalmeida-de-la-tour", "jean-christophe.de-la-fonta",
                           "marie-christine.de-la-fontaine-du-bois", NULL };

  /* Logins around the length where the layout shrinks then breaks them. */
  g_assert_true (sesame_accounts_set_login (fixture->base.store, "eloise.dupont", logins[0], &error));
  g_assert_true (sesame_accounts_set_login (fixture->base.store, "jean.dupont", logins[1], &error));
  g_assert_true (sesame_accounts_set_login (fixture->base.store, "marie.dupont", logins[2], &error));
  g_assert_no_error (error);

  query->logins = g_strdupv ((char **) logins);
  batch = export (fixture, query);
  exported = pdf_raw_text (fixture->pdf);
  for (guint i = 0; logins[i] != NULL; i++)
    {
      g_autofree char *squeezed = without_spaces (exported);

      assert_whole (squeezed, logins[i]);
    }
  assert_lacks (exported, "…");

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autofree char *previewed = NULL;
      cairo_font_options_t *screen;
      cairo_surface_t *surface;
      cairo_t *cr;

      surface = cairo_pdf_surface_create (preview_pdf, SESAME_LETTERS_PAGE_WIDTH * scales[s],
                                          SESAME_LETTERS_PAGE_HEIGHT * scales[s]);
      cr = cairo_create (surface);
      screen = cairo_font_options_create ();
      cairo_font_options_set_hint_metrics (screen, CAIRO_HINT_METRICS_ON);
      cairo_font_options_set_hint_style (screen, CAIRO_HINT_STYLE_FULL);
      cairo_font_options_set_antialias (screen, CAIRO_ANTIALIAS_GRAY);
      for (guint page = 0; page < sesame_letter_batch_get_n_pages (batch); page++)
        {
          /* As sesame-print-preview.c draws a page, with a screen's font
           * options: hinted metrics, rounded to its pixels. */
          cairo_save (cr);
          cairo_set_font_options (cr, screen);
          cairo_scale (cr, scales[s], scales[s]);
          cairo_rectangle (cr, 0, 0, SESAME_LETTERS_PAGE_WIDTH, SESAME_LETTERS_PAGE_HEIGHT);
          cairo_clip (cr);
          sesame_letter_batch_draw_page (batch, cr, page, SESAME_LETTERS_PAGE_WIDTH, SESAME_LETTERS_PAGE_HEIGHT);
          cairo_restore (cr);
          cairo_show_page (cr);
        }
      cairo_font_options_destroy (screen);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (surface);

      previewed = pdf_raw_text (preview_pdf);
      g_assert_cmpstr (previewed, ==, exported);
    }
}

/* "Print letters only" writes to parents; pupils, who have no postal
 * address and are not written to as adults, still get their slip. */
static void
test_letters_only (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autofree char *text = NULL;

  query->kind = SESAME_LETTER_KIND_LETTERS;
  query->class_name = g_strdup ("6A");
  batch = export (fixture, query);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 2);
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 2);

  /* The first page holds the pupils' slips, with no formal letter. */
  text = pdf_text (fixture->pdf, 1);
  assert_contains (text, "Éloïse DUPONT");
  assert_contains (text, "Jean DUPONT");
  assert_contains (text, "Cut along the dotted lines");
  assert_lacks (text, "Please accept");
  assert_lacks (text, "Sir");
  g_clear_pointer (&text, g_free);

  /* Parents get their letter. */
  text = pdf_text (fixture->pdf, 2);
  assert_contains (text, "Please accept");
}

static int run_sesamectl (Fixture     *fixture,
                          char       **err,
                          ...) G_GNUC_NULL_TERMINATED;

/* Until the ENT's name and address are set, nothing is printed: no page
 * ever shows a made-up name or address. */
static void
test_ent_not_set (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  query->logins = g_strsplit ("marie.dupont", " ", -1);

  sql (fixture->base.store, "DELETE FROM settings WHERE key = 'ent-url'");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET);
  assert_contains (error->message, "ENT's address is not set");
  assert_contains (error->message, "Preferences");
  g_clear_error (&error);

  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--output", fixture->pdf, "--login", "marie.dupont", NULL), ==, 1);
  assert_contains (err, "ENT's address is not set");
  assert_contains (err, "sesamectl settings set ent-url");
  g_assert_false (g_file_test (fixture->pdf, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  /* A blank address is no address. */
  sql (fixture->base.store, "INSERT INTO settings (key, value, changed_at) VALUES ('ent-url', '   ', 0)");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET);
  g_clear_error (&error);

  /* The name is required too. */
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, ENT_URL, &error));
  sql (fixture->base.store, "DELETE FROM settings WHERE key = 'ent-name'");
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET);
  assert_contains (error->message, "ENT's name is not set");
  g_clear_error (&error);

  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, ENT_NAME, &error));
  batch = export (fixture, query);
  g_assert_nonnull (batch);
  {
    g_autofree char *text = pdf_text (fixture->pdf, 0);

    assert_contains (text, ENT_URL);
    assert_lacks (text, "example.org");
  }
}

static void
test_identifier_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterQuery) copy = NULL;
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  file = sesame_identifier_files_generate (fixture->base.store, "0740017S", 0, &error);
  g_assert_no_error (error);
  query->keys = sesame_identifier_files_list_keys (fixture->base.store, file->id, &error);
  g_assert_no_error (error);

  copy = sesame_letter_query_copy (query);
  g_assert_true (copy->keys != query->keys);
  g_assert_cmpstrv (copy->keys, query->keys);

  batch = export (fixture, copy);
  g_assert_cmpuint (sesame_letter_batch_get_n_slips (batch), ==, 4);
  g_assert_cmpuint (sesame_letter_batch_get_n_letters (batch), ==, 3);
  g_assert_cmpuint (sesame_letter_batch_get_n_pages (batch), ==, 5);
  g_clear_object (&batch);

  /* The other criteria narrow a selection. */
  copy->profile = SESAME_PROFILE_PARENT;
  copy->class_name = g_strdup ("5 B");
  batch = export (fixture, copy);
  g_assert_cmpuint (sesame_letter_batch_get_n_items (batch), ==, 1);
}

static void
test_draw_page (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  SesameLetterBatch *batch;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  const double width = 612, height = 792;  /* US Letter */
  guint32 *pixels;
  int stride;

  query->logins = g_strsplit ("marie.dupont", " ", -1);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);

  /* As GtkPrintOperation does, on other paper: A4 scaled to fit. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  sesame_letter_batch_draw_page (batch, cr, 0, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  /* The page keeps its proportions, centred: the paper's sides stay as
   * they were, the letter's margin is white. */
  g_assert_cmphex (pixels[(int) (height / 2) * stride + 3] & 0xffffff, ==, 0xff0000);
  g_assert_cmphex (pixels[(int) (height / 2) * stride + 40] & 0xffffff, ==, 0xffffff);
  g_assert_cmphex (pixels[(int) (height / 2) * stride + (int) width - 4] & 0xffffff, ==, 0xff0000);
  cairo_surface_destroy (surface);

  g_assert_finalize_object (batch);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);

  g_cancellable_cancel (cancellable);
  g_assert_false (sesame_letter_batch_export_pdf (batch, fixture->pdf, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* Nothing half written is left behind. */
  g_assert_false (g_file_test (fixture->pdf, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->base.dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, "letters.pdf"));
  }

  g_assert_null (sesame_letter_batch_new (fixture->base.store, query, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Runs sesamectl --store STORE ARGS…; gives what it wrote on stderr. */
static int
run_sesamectl (Fixture     *fixture,
               char       **err,
               ...)
{
  SesameTestCtl ctl = { .store = sesame_store_get_path (fixture->base.store) };
  g_auto(SesameTestRun) run = { 0 };
  va_list ap;

  va_start (ap, err);
  sesame_test_ctl_run_va (&ctl, &run, ap);
  va_end (ap);
  *err = g_steal_pointer (&run.err);
  return run.status;
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_roles_grant (fixture->base.store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_no_error (error);
  sesame_test_enrol_operator (fixture->base.store, "luc.bernard");

  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--output", fixture->pdf,
                                  "--establishment", "0740017S", "--profile", "parent", NULL), ==, 0);
  assert_contains (err, "3 pages");
  assert_contains (err, "3 letters");
  g_assert_cmpuint (pdf_n_pages (fixture->pdf), ==, 3);
  text = pdf_text (fixture->pdf, 1);
  assert_contains (text, "Mme Marie DUPONT");
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--output", fixture->pdf,
                                  "--login", "eloise.dupont", "--login", "zoe.martin", "--kind", "slips", NULL), ==, 0);
  assert_contains (err, "2 slips");
  g_clear_pointer (&err, g_free);

  /* Bad usage: 2. Refused or not found: 1. */
  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--class", "6A", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--output", fixture->pdf, "--kind", "posters", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--output", fixture->pdf, "--profile", "pupil", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sesamectl (fixture, &err, "letters", "--output", fixture->pdf, "--login", "nobody.here", NULL), ==, 1);
  assert_contains (err, "nobody.here");
  g_clear_pointer (&err, g_free);
  /* The secretary holds no role: she cannot even sign in. */
  g_assert_cmpint (run_sesamectl (fixture, &err, "--as", "marc.faure", "letters", "--output", fixture->pdf, NULL), ==, 1);
  assert_contains (err, "passphrase is wrong");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sesamectl (fixture, &err, "--as", "luc.bernard", "letters", "--output", fixture->pdf,
                                  "--establishment", "0740017S", NULL), ==, 1);
  assert_contains (err, "Zoé MARTIN");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_sesamectl (fixture, &err, "--as", "luc.bernard", "letters", "--output", fixture->pdf,
                                  "--class", "6A", NULL), ==, 0);
  assert_contains (err, "2 slips, 2 letters");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sesame/letters/slips-by-class", test_slips_by_class);
  ADD ("/sesame/letters/slips-pages", test_slips_pages);
  ADD ("/sesame/letters/parent-letters", test_parent_letters);
  ADD ("/sesame/letters/class-and-guardians", test_class_and_guardians);
  ADD ("/sesame/letters/personalised", test_personalised);
  ADD ("/sesame/letters/expired", test_expired);
  ADD ("/sesame/letters/no-staff", test_no_staff);
  ADD ("/sesame/letters/disabled-and-unknown", test_disabled_and_unknown);
  ADD ("/sesame/letters/permissions", test_permissions);
  ADD ("/sesame/letters/audit", test_audit);
  ADD ("/sesame/letters/settings", test_settings);
  ADD ("/sesame/letters/long-texts", test_long_texts);
  ADD ("/sesame/letters/whole-texts", test_whole_texts);
  ADD ("/sesame/letters/preview-matches-pdf", test_preview_matches_pdf);
  ADD ("/sesame/letters/letters-only", test_letters_only);
  ADD ("/sesame/letters/ent-not-set", test_ent_not_set);
  ADD ("/sesame/letters/identifier-file", test_identifier_file);
  ADD ("/sesame/letters/draw-page", test_draw_page);
  ADD ("/sesame/letters/cancel", test_cancel);
  ADD ("/sesame/letters/cli", test_cli);

#undef ADD

  return g_test_run ();
}
