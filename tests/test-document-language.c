/* test-document-language.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What leaves the office is written in the store's document language,
 * whatever the desk's locale: letters and slips (read back with poppler's
 * pdftotext), the identifier file, the email and its default subject, the
 * send report. Each is rendered under LC_ALL=C and under an English
 * session (LANGUAGE=en), in a worker thread as the window does, and on a
 * desk without the fr_FR locale. The interface keeps the desk's language,
 * and a build run from its build tree finds its translations.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "sesame-accounts-private.h"
#include "sesame-campaign-private.h"
#include "sesame-campaign-message.h"
#include "sesame-campaign-report-private.h"
#include "sesame-campaigns.h"
#include "sesame-credentials-private.h"
#include "sesame-document-language-private.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-settings.h"
#include "sesame.h"
#include "sesame-campaign.h"
#include "sesame-test-ctl.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

/* The desk's locale a test runs under. */
typedef enum
{
  DESK_C,        /* LANG=C: a script, a minimal session */
  DESK_ENGLISH,  /* an English session: LANGUAGE=en_GB:en over C.UTF-8 */
  DESK_FRENCH,   /* a French desk */
} Desk;

typedef struct
{
  SesameTestFixture  base;  /* the small school */
  char              *pdf;
} Fixture;

static void
set_desk (Desk desk)
{
  switch (desk)
    {
    case DESK_C:
      g_unsetenv ("LANGUAGE");
      g_assert_nonnull (setlocale (LC_ALL, "C"));
      break;
    case DESK_ENGLISH:
      g_setenv ("LANGUAGE", "en_GB:en", TRUE);
      g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
      break;
    case DESK_FRENCH:
      g_unsetenv ("LANGUAGE");
      if (setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
        g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
      g_setenv ("LANGUAGE", "fr", TRUE);
      break;
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_fixture_set_up (&fixture->base, data);
  fixture->pdf = g_build_filename (fixture->base.dir, "letters.pdf", NULL);
  /* The fixture asks for English documents: back to the default. */
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_DOCUMENT_LANGUAGE,
                                            SESAME_DOCUMENT_LANGUAGE_DEFAULT, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL,
                                            "https://ent.example.org/", &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, "Mon ENT 74", &error));
  g_assert_no_error (error);
  set_desk (GPOINTER_TO_INT (data));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  g_free (fixture->pdf);
  sesame_test_fixture_tear_down (&fixture->base, data);
}

static void
set_language (Fixture    *fixture,
              const char *code)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_DOCUMENT_LANGUAGE, code, &error));
  g_assert_no_error (error);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("“%s” unexpectedly found in:\n%s", needle, text);
}

/* The text of one page (from 1), or of the whole file (page 0). */
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

static void
export_letters (Fixture       *fixture,
                SesameProfile  profile)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  query->establishment = g_strdup ("0740017S");
  query->profile = profile;
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_letter_batch_export_pdf (batch, fixture->pdf, NULL, &error));
  g_assert_no_error (error);
}

/* The letters of the parents and the slips of the pupils. */
static void
test_letters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *letters = NULL;
  g_autofree char *slips = NULL;

  /* Claire Martin's title unknown: the letter greets "Madame, Monsieur". */
  g_assert_true (_sesame_store_exec (fixture->base.store, "UPDATE persons SET title = '' WHERE key = 'P7'", NULL));

  export_letters (fixture, SESAME_PROFILE_PARENT);
  letters = pdf_text (fixture->pdf, 0);
  assert_contains (letters, "ACADÉMIE DE GRENOBLE");
  assert_contains (letters, "Madame,");
  assert_contains (letters, "Monsieur,");
  assert_contains (letters, "Madame, Monsieur,");
  assert_contains (letters, "Éloïse DUPONT, classe 6A");
  assert_contains (letters, "espace numérique");
  assert_contains (letters, "Identifiant");
  assert_contains (letters, "Le chef d’établissement");
  assert_lacks (letters, "Sir,");
  assert_lacks (letters, "ACADEMY");
  assert_lacks (letters, "Login");

  export_letters (fixture, SESAME_PROFILE_ELEVE);
  slips = pdf_text (fixture->pdf, 0);
  assert_contains (slips, "Classe 6A");
  assert_contains (slips, "Identifiant");
  assert_lacks (slips, "Class 6A");
  assert_lacks (slips, "Login");

  /* In English when the store says so. */
  set_language (fixture, "en");
  export_letters (fixture, SESAME_PROFILE_PARENT);
  g_free (letters);
  letters = pdf_text (fixture->pdf, 0);
  assert_contains (letters, "ACADEMY OF GRENOBLE");
  assert_contains (letters, "Madam, Sir,");
  assert_contains (letters, "Sir,");
  assert_lacks (letters, "Monsieur");
}

/* GEPI's header, the same in every language. */
#define GEPI_HEADER "\xEF\xBB\xBF" "rne;uid;classe;profil;prenom;nom;login;mot de passe;cle de jointure;" \
                    "uid pere;uid mere;uid tuteur1;uid tuteur2;prenom enfant;nom enfant;" \
                    "adresse;code postal;ville;pays"

static GHashTable *
identifier_rows (Fixture *fixture)
{
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = _sesame_credentials_dup_first_password (fixture->base.store, "P2");
  g_auto(GStrv) lines = NULL;
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);

  /* Jean signs in and chooses his password: the file marks it. */
  if (first != NULL)
    {
      g_assert_cmpint (sesame_passwords_authenticate (fixture->base.store, "jean.dupont", first, NULL), ==, SESAME_AUTH_MUST_CHANGE);
      g_assert_true (sesame_passwords_change (fixture->base.store, "jean.dupont", first, "grand-bornand", &error));
      g_assert_no_error (error);
    }
  file = sesame_identifier_files_generate (fixture->base.store, "0740017S", 0, &error);
  g_assert_no_error (error);
  bytes = sesame_identifier_files_render (fixture->base.store, file->id, &error);
  g_assert_no_error (error);

  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\r\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char **cells = g_strsplit (lines[i], ";", -1);

      if (i == 0)
        g_assert_cmpstr (lines[i], ==, GEPI_HEADER);
      g_hash_table_insert (rows, g_strdup (i == 0 ? "header" : cells[1]), cells);
    }
  return rows;
}

/* Every cell, the header included, as GEPI reads it. */
static void
test_identifier_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) rows = identifier_rows (fixture);
  char **header = g_hash_table_lookup (rows, "header");
  char **jean = g_hash_table_lookup (rows, "P2");

  /* GEPI's own header, whatever the language. */
  g_assert_nonnull (header);
  g_assert_cmpstr (header[0], ==, "\xEF\xBB\xBF" "rne");
  g_assert_nonnull (jean);
  g_assert_cmpstr (jean[7], ==, "mot de passe déjà personnalisé");

  set_language (fixture, "en");
  g_clear_pointer (&rows, g_hash_table_unref);
  rows = identifier_rows (fixture);
  jean = g_hash_table_lookup (rows, "P2");
  g_assert_cmpstr (jean[7], ==, "password already personalised");
  header = g_hash_table_lookup (rows, "header");
  g_assert_cmpstr (header[0], ==, "\xEF\xBB\xBF" "rne");
}

static SesameCampaign *
parents_campaign (Fixture *fixture)
{
  SesameCampaign *campaign = sesame_campaign_new ();

  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
  sesame_campaign_set_establishment (campaign, "0740017S");
  return campaign;
}

/* The email to a family: its default subject and its body. */
static void
test_email (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = parents_campaign (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *to = NULL;

  subject = sesame_campaign_message_dup_default_subject (fixture->base.store, campaign);
  g_assert_cmpstr (subject, ==, "Collège Les Aravis - vos identifiants de connexion");
  sesame_campaign_set_subject (campaign, subject);
  preview = sesame_campaign_message_preview (fixture->base.store, campaign, &to, &error);
  g_assert_no_error (error);
  assert_contains (preview, "Bonjour Marie DUPONT,");
  assert_contains (preview, "marie.dupont");
  assert_lacks (preview, "Hello");
  assert_lacks (preview, "Kind regards");

  set_language (fixture, "en");
  g_free (subject);
  subject = sesame_campaign_message_dup_default_subject (fixture->base.store, campaign);
  g_assert_cmpstr (subject, ==, "Collège Les Aravis - your login details");
  g_free (preview);
  preview = sesame_campaign_message_preview (fixture->base.store, campaign, NULL, &error);
  g_assert_no_error (error);
  assert_contains (preview, "Hello Marie DUPONT,");
  assert_lacks (preview, "Bonjour");
}

/* The decoded text of a message's first text part. */
static char *
message_text (GMimeMessage *message)
{
  GMimeObject *part = g_mime_message_get_body (message);

  while (GMIME_IS_MULTIPART (part))
    part = g_mime_multipart_get_part (GMIME_MULTIPART (part), 0);
  g_assert_true (GMIME_IS_TEXT_PART (part));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (part));
}

static char *
attachment_text (GMimeMessage *message)
{
  GMimeObject *top = g_mime_message_get_mime_part (message);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GMimeObject *part;
  GByteArray *bytes;

  g_assert_true (GMIME_IS_MULTIPART (top));
  part = g_mime_multipart_get_part (GMIME_MULTIPART (top), g_mime_multipart_get_count (GMIME_MULTIPART (top)) - 1);
  g_assert_true (GMIME_IS_PART (part));
  g_assert_cmpint (g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (part)), stream), >, 0);
  bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_strndup ((const char *) bytes->data, bytes->len);
}

/* The send report mailed to the administrator, its table included. */
static void
test_report (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = parents_campaign (fixture);
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *table = NULL;

  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) |
                                          SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sesame_mail_init ();
  sesame_smtp_settings_set_from_address (settings, "secretariat@example.org");
  sesame_smtp_settings_set_from_name (settings, "Collège Les Aravis");
  sesame_campaign_set_subject (campaign, "Collège Les Aravis - vos identifiants de connexion");
  g_assert_true (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_no_error (error);

  message = _sesame_campaign_report_compose (fixture->base.store, campaign, settings, "Hélène ROCHE",
                                             "helene.roche@example.org", &error);
  g_assert_no_error (error);
  assert_contains (g_mime_message_get_subject (message), "Bilan d’envoi");
  text = message_text (message);
  assert_contains (text, "Envoyés : 0");
  assert_lacks (text, "Sent:");
  table = attachment_text (message);
  assert_contains (table, "Identifiant");
  assert_contains (table, ";Élève;");
  assert_contains (table, "Sans adresse");
  assert_lacks (table, "Login");

  set_language (fixture, "en");
  g_clear_object (&message);
  message = _sesame_campaign_report_compose (fixture->base.store, campaign, settings, "Hélène ROCHE",
                                             "helene.roche@example.org", &error);
  g_assert_no_error (error);
  assert_contains (g_mime_message_get_subject (message), "Send report");
  g_free (text);
  text = message_text (message);
  assert_contains (text, "Sent: 0");
}

/* On a French desk, documents follow the store's language and the
 * interface the desk's, in the same thread before and after. */
static void
test_interface_keeps_locale (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *letters = NULL;
  const char *logins[] = { "nobody.here", NULL };

  /* GLib decides once per process whether to translate, from the locale it
   * starts with: a French desk is a process started in French. */
  if (!g_test_subprocess ())
    {
      g_autofree char *saved = g_strdup (g_getenv ("LC_ALL"));

      g_setenv ("LC_ALL", "fr_FR.UTF-8", TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      if (saved != NULL)
        g_setenv ("LC_ALL", saved, TRUE);
      else
        g_unsetenv ("LC_ALL");
      g_test_trap_assert_passed ();
      return;
    }

  set_language (fixture, "en");
  export_letters (fixture, SESAME_PROFILE_PARENT);
  letters = pdf_text (fixture->pdf, 0);
  assert_contains (letters, "ACADEMY OF GRENOBLE");

  /* The interface, right after, still speaks French. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Class %s"), ==, "Classe %s");
  g_assert_cmpstr (_sesame_document_dgettext (GETTEXT_PACKAGE, "Class %s"), ==, "Classe %s");
  g_assert_null (_sesame_document_language_current ());
  query->logins = g_strdupv ((char **) logins);
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Aucun compte n’a l’identifiant « nobody.here ».");
}

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean pushed;
  gboolean checked;
} Handshake;

static gpointer
hold_french (gpointer data)
{
  Handshake *handshake = data;
  const char *seen;

  _sesame_document_language_push_code ("fr");
  seen = _sesame_document_dgettext (GETTEXT_PACKAGE, "Class %s");
  g_mutex_lock (&handshake->lock);
  handshake->pushed = TRUE;
  g_cond_signal (&handshake->cond);
  while (!handshake->checked)
    g_cond_wait (&handshake->cond, &handshake->lock);
  g_mutex_unlock (&handshake->lock);
  _sesame_document_language_pop ();
  return (gpointer) seen;
}

static void
render_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  SesameLetterBatch *batch = data;
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  GError *error = NULL;

  if (sesame_letter_batch_export_pdf (batch, path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
render_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  gboolean *done = data;

  *done = TRUE;
}

/* A worker thread renders in the document language while the main thread,
 * at the same moment, keeps the desk's. */
static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  Handshake handshake = { 0 };
  g_autoptr(GThread) thread = NULL;
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *letters = NULL;
  gboolean done = FALSE;

  g_mutex_init (&handshake.lock);
  g_cond_init (&handshake.cond);
  thread = g_thread_new ("hold-french", hold_french, &handshake);
  g_mutex_lock (&handshake.lock);
  while (!handshake.pushed)
    g_cond_wait (&handshake.cond, &handshake.lock);
  /* The other thread holds French; this one is on an English desk. */
  g_assert_null (_sesame_document_language_current ());
  g_assert_cmpstr (_sesame_document_dgettext (GETTEXT_PACKAGE, "Class %s"), ==, "Class %s");
  handshake.checked = TRUE;
  g_cond_signal (&handshake.cond);
  g_mutex_unlock (&handshake.lock);
  g_assert_cmpstr (g_thread_join (g_steal_pointer (&thread)), ==, "Classe %s");
  g_mutex_clear (&handshake.lock);
  g_cond_clear (&handshake.cond);

  /* The window prints through a GTask. */
  query->establishment = g_strdup ("0740017S");
  query->profile = SESAME_PROFILE_PARENT;
  batch = sesame_letter_batch_new (fixture->base.store, query, NULL, &error);
  g_assert_no_error (error);
  task = g_task_new (NULL, NULL, render_done, &done);
  g_object_set_data (G_OBJECT (task), "path", fixture->pdf);
  g_task_set_task_data (task, g_object_ref (batch), g_object_unref);
  g_task_run_in_thread (task, render_in_thread);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_task_propagate_boolean (task, &error));
  g_assert_no_error (error);
  letters = pdf_text (fixture->pdf, 0);
  assert_contains (letters, "ACADÉMIE DE GRENOBLE");
  g_assert_cmpstr (_sesame_document_dgettext (GETTEXT_PACKAGE, "Class %s"), ==, "Class %s");
}

/* The setting takes only the languages documents can be written in. */
static void
test_setting (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *language = sesame_store_language_dup (fixture->base.store);

  g_assert_cmpstr (language, ==, "fr");
  g_assert_false (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_DOCUMENT_LANGUAGE, "de", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  assert_contains (error->message, "“de”");
  assert_contains (error->message, "fr, en");
  g_clear_pointer (&language, g_free);
  language = sesame_store_language_dup (fixture->base.store);
  g_assert_cmpstr (language, ==, "fr");
}

/* Runs sesamectl ARGS… with ENV_SET (NAME, VALUE pairs), as a user runs it
 * from the build tree: no SESAME_LOCALEDIR, no LANGUAGE unless set. */
static int
run_sesamectl (const char * const  *env_set,
               char               **out,
               char               **err,
               ...)
{
  g_autoptr(GPtrArray) env = g_ptr_array_new ();
  g_auto(SesameTestRun) run = { 0 };
  SesameTestCtl ctl = { 0 };
  va_list ap;

  g_ptr_array_add (env, (char *) "SESAME_LOCALEDIR");
  g_ptr_array_add (env, NULL);
  g_ptr_array_add (env, (char *) "LANGUAGE");
  g_ptr_array_add (env, NULL);
  for (guint i = 0; env_set[i] != NULL; i++)
    g_ptr_array_add (env, (char *) env_set[i]);
  g_ptr_array_add (env, NULL);
  ctl.env = (const char * const *) env->pdata;

  va_start (ap, err);
  sesame_test_ctl_run_va (&ctl, &run, ap);
  va_end (ap);
  *out = g_steal_pointer (&run.out);
  *err = g_steal_pointer (&run.err);
  return run.status;
}

/* The application run from the build tree, on a French desk. */
static char *
run_app_help (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_launcher_unsetenv (launcher, "SESAME_LOCALEDIR");
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "fr_FR.UTF-8", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SESAME_APP"), "--help", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

/* sesamectl and sesame run from the build tree speak French on a French
 * desk. */
static void
test_uninstalled (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *french[] = { "LC_ALL", "fr_FR.UTF-8", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("The fr_FR.UTF-8 locale is not generated on this machine.");
      return;
    }
  setlocale (LC_ALL, "");

  g_assert_cmpint (run_sesamectl (french, &out, &err, "no-such-command", NULL), ==, 2);
  assert_contains (err, "Commande inconnue « no-such-command »");
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_sesamectl (french, &out, &err, "--help", NULL), ==, 0);
  assert_contains (out, "Utilisation");

  if (g_getenv ("SESAME_APP") != NULL)
    {
      g_autofree char *help = run_app_help ();

      assert_contains (help, "Diffuse les comptes ENT aux élèves et aux parents.");
    }
}

/* A desk with only the C.UTF-8 locale (LOCPATH on an empty folder hides
 * every generated locale) still prints French letters. */
static void
test_without_french_locale (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->base.dir, "no-locales", NULL);
  const char *env[] = { "LOCPATH", empty, "LC_ALL", "fr_FR.UTF-8", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *letters = NULL;

  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  g_assert_cmpint (run_sesamectl (env, &out, &err, "--store", sesame_store_get_path (fixture->base.store),
                                  "letters", "--output", fixture->pdf, "--establishment", "0740017S",
                                  "--profile", "parent", NULL), ==, 0);
  letters = pdf_text (fixture->pdf, 0);
  assert_contains (letters, "ACADÉMIE DE GRENOBLE");
  assert_contains (letters, "Madame,");
  assert_lacks (letters, "ACADEMY");
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    Desk        desk;
  } desks[] = {
    { "c", DESK_C },
    { "english", DESK_ENGLISH },
  };
  static const struct {
    const char *name;
    GTestFixtureFunc func;
  } documents[] = {
    { "letters", (GTestFixtureFunc) test_letters },
    { "identifier-file", (GTestFixtureFunc) test_identifier_file },
    { "email", (GTestFixtureFunc) test_email },
    { "report", (GTestFixtureFunc) test_report },
  };

  sesame_test_init (&argc, &argv);
  sesame_document_language_bind_text_domain ();

#define ADD(path, func, desk) \
  g_test_add (path, Fixture, GINT_TO_POINTER (desk), fixture_set_up, func, fixture_tear_down)

  for (guint d = 0; d < G_N_ELEMENTS (desks); d++)
    for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
      {
        g_autofree char *path = g_strdup_printf ("/sesame/document-language/%s/%s",
                                                 desks[d].name, documents[i].name);

        g_test_add (path, Fixture, GINT_TO_POINTER (desks[d].desk), fixture_set_up,
                    (void (*) (Fixture *, gconstpointer)) documents[i].func, fixture_tear_down);
      }
  ADD ("/sesame/document-language/french-desk/interface", test_interface_keeps_locale, DESK_FRENCH);
  ADD ("/sesame/document-language/english/threads", test_threads, DESK_ENGLISH);
  ADD ("/sesame/document-language/setting", test_setting, DESK_C);
  ADD ("/sesame/document-language/uninstalled", test_uninstalled, DESK_C);
  ADD ("/sesame/document-language/without-french-locale", test_without_french_locale, DESK_C);

  return g_test_run ();
}
