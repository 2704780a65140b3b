/* test-print-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Printing from the window: slips and letters to PDF as a desk prints
 * them, each print recorded in the audit trail only once pages left, the
 * operator's history saying which regenerated password's slip went out,
 * and before the ENT is named, a refusal that says why and opens the
 * preferences at the field to fill in. Driven under a display
 * (xvfb-run); skipped without one.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sesame-accounts-private.h"
#include "sesame-application.h"
#include "sesame-boxed-item.h"
#include "sesame-journal-window.h"
#include "sesame-preferences-window.h"
#include "sesame-print.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef SesameTestDesk Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_desk_set_up (fixture, data);
  /* The ENT's name and address are settings of the whole store: only an
   * administrator of every establishment changes them. */
  g_assert_true (sesame_roles_grant_admin (fixture->store, "helene.roche", SESAME_ROLE_SCOPE_ALL, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_no_error (error);

  sesame_test_desk_start (fixture, "PrintTest");
}

/* The row holding the keyboard focus in a window, and its title. */
static const char *
focused_row_title (GtkWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  GtkWidget *row;

  if (focus == NULL)
    return NULL;
  row = gtk_widget_get_ancestor (focus, ADW_TYPE_PREFERENCES_ROW);
  return row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

static gboolean
focus_in_row (gpointer window)
{
  return focused_row_title (window) != NULL;
}

static void
print_and_expect_preferences (Fixture    *fixture,
                              const char *message,
                              const char *row_title)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  SesamePreferencesWindow *preferences;
  AdwMessageDialog *dialog;
  gint64 deadline;

  query->logins = g_strsplit ("marie.dupont", " ", -1);
  sesame_print_letters (GTK_WIDGET (fixture->window), fixture->store, NULL, query, SESAME_PRINT_MODE_PREVIEW);

  dialog = sesame_test_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), message));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "preferences"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "preferences");
  /* Nothing was printed nor previewed. */
  g_assert_null (sesame_test_find_toplevel (g_type_from_name ("SesamePrintPreview")));

  adw_message_dialog_response (dialog, "preferences");
  gtk_window_close (GTK_WINDOW (dialog));

  preferences = sesame_test_wait_for_toplevel (SESAME_TYPE_PREFERENCES_WINDOW);
  /* Focus moves after the window is shown: give it 20 s at most. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!focus_in_row (preferences) && g_get_monotonic_time () < deadline)
    sesame_test_spin (10);
  g_assert_cmpstr (focused_row_title (GTK_WINDOW (preferences)), ==, row_title);
  gtk_window_destroy (GTK_WINDOW (preferences));
  sesame_test_spin (50);
}

static void
test_ent_not_set (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Neither set: the address first. */
  print_and_expect_preferences (fixture, "ENT's address is not set", "Address of the ENT");

  /* The address alone: the name. */
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_ENT_URL,
                                            "https://ent.mon-ent-74.example.fr", &error));
  g_assert_no_error (error);
  print_and_expect_preferences (fixture, "ENT's name is not set", "Name of the ENT");
}

/* Hélène ROCHE, head of the collège, acting without a role of the
 * store: she prints for her establishment. */
static void
head_set_up (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_desk_set_up (fixture, data);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_no_error (error);
  sesame_test_desk_start (fixture, "PrintHead");
}

/* Printing */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint     n_pages;
  GError   *error;
} PrintWait;

static void
print_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PrintWait *wait = user_data;

  wait->ok = sesame_print_letters_finish (result, &wait->n_pages, &wait->error);
  wait->done = TRUE;
}

static gboolean
print_finished (gpointer data)
{
  return ((PrintWait *) data)->done;
}

static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { pdftotext, "-layout", path, "-", NULL };

  if (pdftotext == NULL)
    return NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static guint
count_pages (const char *text)
{
  guint pages = 0;

  /* pdftotext ends every page with a form feed. */
  for (const char *p = text; *p; p++)
    if (*p == '\f')
      pages++;
  return pages;
}

static void
print_to_pdf (Fixture           *fixture,
              SesameLetterQuery *query,
              const char        *path,
              PrintWait         *wait)
{
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_EXPORT_PDF, path, NULL, print_done, wait);
  sesame_test_wait_until (print_finished, wait);
  g_assert_no_error (wait->error);
  g_assert_true (wait->ok);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_print_pdf (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *slips_path = g_build_filename (fixture->dir, "slips.pdf", NULL);
  g_autofree char *letters_path = g_build_filename (fixture->dir, "letters.pdf", NULL);
  g_autofree char *slips = NULL;
  g_autofree char *letters = NULL;
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  PrintWait wait = { 0 };
  const char *pupils[] = { "zoe.martin", "eloise.dupont", "jean.dupont", NULL };
  const char *parents[] = { "marie.dupont", "claire.martin", NULL };

  /* Nothing prints before the ENT is named (see test-print-window.c). */
  sesame_test_name_ent (fixture->store);

  /* Slips for three pupils of two classes: one page per class. */
  query->kind = SESAME_LETTER_KIND_SLIPS;
  query->logins = g_strdupv ((char **) pupils);
  print_to_pdf (fixture, query, slips_path, &wait);
  g_assert_cmpuint (wait.n_pages, ==, 2);

  /* A letter per parent. */
  g_strfreev (query->logins);
  query->logins = g_strdupv ((char **) parents);
  query->kind = SESAME_LETTER_KIND_LETTERS;
  memset (&wait, 0, sizeof wait);
  print_to_pdf (fixture, query, letters_path, &wait);
  g_assert_cmpuint (wait.n_pages, ==, 2);

  slips = pdf_text (slips_path);
  letters = pdf_text (letters_path);
  if (slips == NULL || letters == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the PDF text is not checked");
      return;
    }

  g_assert_cmpuint (count_pages (slips), ==, 2);
  for (guint i = 0; pupils[i] != NULL; i++)
    g_assert_nonnull (strstr (slips, pupils[i]));
  g_assert_nonnull (strstr (slips, "6A"));
  g_assert_nonnull (strstr (slips, "5 B"));

  g_assert_cmpuint (count_pages (letters), ==, 2);
  for (guint i = 0; parents[i] != NULL; i++)
    g_assert_nonnull (strstr (letters, parents[i]));
  g_assert_nonnull (strstr (letters, "La Clusaz"));

  /* Academy staff are never printed. */
  g_strfreev (query->logins);
  query->logins = g_strdupv ((char *[]) { "luc.bernard", NULL });
  query->kind = SESAME_LETTER_KIND_AUTO;
  memset (&wait, 0, sizeof wait);
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_EXPORT_PDF, slips_path, NULL, print_done, &wait);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_false (wait.ok);
  g_assert_error (wait.error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&wait.error);
}

static guint
count_print_entries (SesameStore *store)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  history = sesame_audit_list (store, TRUE, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    if (g_str_equal (((SesameAuditEntry *) g_ptr_array_index (history, i))->action, "print"))
      n++;
  return n;
}

/* The audit trail records a print only when pages left: a cancelled print
 * dialog records nothing, an export records one entry. */
static void
test_print_audit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "zoe.pdf", NULL);
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  const char *logins[] = { "zoe.martin", NULL };
  PrintWait wait = { 0 };
  GtkWidget *dialog;

  /* Nothing prints before the ENT is named. */
  sesame_test_name_ent (fixture->store);

  query->logins = g_strdupv ((char **) logins);
  g_assert_cmpuint (count_print_entries (fixture->store), ==, 0);

  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_DIALOG, NULL, NULL, print_done, &wait);
  dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (dialog), ==, "GtkPrintUnixDialog");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  sesame_test_wait_until (print_finished, &wait);
  g_assert_no_error (wait.error);
  g_assert_false (wait.ok);
  sesame_test_spin (100);
  g_assert_cmpuint (count_print_entries (fixture->store), ==, 0);

  memset (&wait, 0, sizeof wait);
  print_to_pdf (fixture, query, path, &wait);
  g_assert_cmpuint (count_print_entries (fixture->store), ==, 1);
  {
    g_autoptr(GPtrArray) history = sesame_audit_list (fixture->store, TRUE, 1, NULL);
    SesameAuditEntry *entry = g_ptr_array_index (history, 0);

    g_assert_cmpstr (entry->action, ==, "print");
    g_assert_cmpstr (entry->target, ==, "zoe.martin");
  }
}

/* The row of the operator's history about @login regenerated, or -1. */
static int
find_regeneration (SesameJournalWindow *journal,
                   const char          *login)
{
  GListModel *model = sesame_journal_window_get_model (journal, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SesameBoxedItem) item = g_list_model_get_item (model, i);
      SesameAuditEntry *entry = sesame_boxed_item_get (item);

      if (g_str_equal (entry->action, "reset-password") && g_str_equal (entry->target, login))
        return i;
    }
  return -1;
}

static char *
history_cell (Fixture    *fixture,
              const char *login,
              const char *column)
{
  SesameJournalWindow *journal = sesame_journal_window_new (fixture->store);
  int row = find_regeneration (journal, login);
  char *text;

  g_assert_cmpint (row, >=, 0);
  text = sesame_journal_window_dup_cell (journal, TRUE, row, column);
  gtk_window_destroy (GTK_WINDOW (journal));
  return text;
}

/* "My History" keeps who regenerated which password, when, and whether
 * its slip was printed (a cancelled print is not). */
static void
test_history_slip (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "slips.pdf", NULL);
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(GError) error = NULL;
  const char *both[] = { "zoe.martin", "eloise.dupont", NULL };
  const char *zoe[] = { "zoe.martin", NULL };
  PrintWait wait = { 0 };
  GtkWidget *dialog;

  /* Nothing prints before the ENT is named. */
  sesame_test_name_ent (fixture->store);

  for (guint i = 0; both[i] != NULL; i++)
    {
      g_autofree char *password = sesame_accounts_reset_password (fixture->store, both[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (password);
    }

  {
    g_autofree char *who = history_cell (fixture, "zoe.martin", "Who");
    g_autofree char *account = history_cell (fixture, "zoe.martin", "Account");
    g_autofree char *slip = history_cell (fixture, "zoe.martin", "Slip");

    g_assert_cmpstr (who, ==, "Hélène ROCHE (helene.roche)");
    g_assert_cmpstr (account, ==, "zoe.martin");
    g_assert_cmpstr (slip, ==, "Not printed");
  }

  /* A cancelled print dialog prints nothing. */
  query->logins = g_strdupv ((char **) zoe);
  sesame_print_letters_async (GTK_WIDGET (fixture->window), fixture->store, NULL, query,
                              SESAME_PRINT_MODE_DIALOG, NULL, NULL, print_done, &wait);
  dialog = sesame_test_wait_for_toplevel (GTK_TYPE_DIALOG);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  sesame_test_wait_until (print_finished, &wait);
  {
    g_autofree char *slip = history_cell (fixture, "zoe.martin", "Slip");
    g_assert_cmpstr (slip, ==, "Not printed");
  }

  /* Both slips on one export: each regeneration knows its slip left. */
  g_strfreev (query->logins);
  query->logins = g_strdupv ((char **) both);
  memset (&wait, 0, sizeof wait);
  print_to_pdf (fixture, query, path, &wait);
  for (guint i = 0; both[i] != NULL; i++)
    {
      g_autofree char *slip = history_cell (fixture, both[i], "Slip");
      g_assert_true (g_str_has_prefix (slip, "Printed "));
    }

  /* A new regeneration waits for its own slip. */
  {
    g_autofree char *password = sesame_accounts_reset_password (fixture->store, "zoe.martin", &error);
    g_autofree char *slip = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (password);
    slip = history_cell (fixture, "zoe.martin", "Slip");
    g_assert_cmpstr (slip, ==, "Not printed");
  }
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);

  sesame_test_add_ui ("/sesame/print-window/ent-not-set", Fixture, NULL,
              fixture_set_up, test_ent_not_set, sesame_test_desk_tear_down);
  sesame_test_add_ui ("/sesame/print-window/print-pdf", Fixture, NULL,
                      head_set_up, test_print_pdf, sesame_test_desk_tear_down);
  sesame_test_add_ui ("/sesame/print-window/print-audit", Fixture, NULL,
                      head_set_up, test_print_audit, sesame_test_desk_tear_down);
  sesame_test_add_ui ("/sesame/print-window/history-slip", Fixture, NULL,
                      head_set_up, test_history_slip, sesame_test_desk_tear_down);

  return g_test_run ();
}
