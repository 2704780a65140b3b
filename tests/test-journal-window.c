/* test-journal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal as a secretary reads it, under a (virtual) display: every
 * action the store records reads as a sentence with the names of the
 * persons, files, establishments and mailings concerned, never their
 * identifiers or the store's own tokens; an entry opens whole in a
 * dialog and copies to the clipboard. Without a display the tests are
 * skipped.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sesame-application.h"
#include "sesame-document-language.h"
#include "sesame-audit.h"
#include "sesame-boxed-item.h"
#include "sesame-identifier-files.h"
#include "sesame-journal-window.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-ui.h"
#include "sesame-test-util.h"
#include "sesame-window.h"

typedef struct
{
  SesameTestDesk  base;  /* the store and Sésame on it */
  char           *file_id;
} Fixture;

static void
record (Fixture    *fixture,
        const char *action,
        const char *target,
        const char *detail)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_audit (fixture->base.store, action, target, detail, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *print_both = NULL;

  sesame_test_desk_set_up (&fixture->base, data);
  /* Hélène ROCHE, the principal, acts: her history holds it all. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);

  /* What the store does itself, through its functions… */
  password = sesame_accounts_reset_password (fixture->base.store, "zoe.martin", &error);
  g_assert_no_error (error);
  file = sesame_identifier_files_generate (fixture->base.store, "0740017S", 0, &error);
  g_assert_no_error (error);
  fixture->file_id = g_strdup (file->id);

  /* … and the other actions, with the details the store writes. */
  record (fixture, "setting", "smtp-rate", "30");
  g_assert_true (sesame_accounts_set_login (fixture->base.store, "jean.dupont", "jean.dupont.6a", &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_store_exec (fixture->base.store,
                                     "INSERT INTO campaigns (id, subject, profiles, operator, created_at, state_changed_at)"
                                     " VALUES ('0191e4a0-campaign', 'Vos identifiants ENT', 'parents', 'helene.roche', 0, 0)",
                                     &error));
  g_assert_no_error (error);
  record (fixture, "grant-role", "luc.bernard", "classes");
  record (fixture, "revoke-admin", "sophie.garnier", "");
  record (fixture, "import", "ENT_0740017S_Complet_20240901_Eleve_0000.xml",
          "{\"files\":1,\"persons_created\":1234,\"persons_updated\":1,\"persons_departed\":0,\"accounts_created\":1234}");
  print_both = g_strdup ("zoe.martin eloise.dupont");
  record (fixture, "print", print_both, "2");
  record (fixture, "print", "0740017S 5 B", "2");
  record (fixture, "export-file", fixture->file_id, "/home/secretariat/Documents/identifiants.csv");
  record (fixture, "campaign-create", "0191e4a0-campaign", "parents; Vos identifiants ENT; 568 with an address, 3 without");
  record (fixture, "campaign-start", "0191e4a0-campaign", "resume; 12 to send");
  record (fixture, "campaign-end", "0191e4a0-campaign",
          "finished; sent 568, failed 1, without address 3, uncertain 0, skipped 0, waiting 0");
  record (fixture, "operator-sign-in-refused", "helene.roche", "wrong passphrase");
  record (fixture, "activation-link-used", "eloise.dupont", "");
  record (fixture, "delete-file", fixture->file_id, "ENT_0740017S_identifiants.csv");
  record (fixture, "grant-admin", "sophie.garnier", "all");
  record (fixture, "revoke-role", "marc.faure", "");
  record (fixture, "operator-setup", "helene.roche", "");
  record (fixture, "operator-invite", "luc.bernard", "7");
  record (fixture, "operator-enrol", "luc.bernard", "");
  record (fixture, "operator-sign-in", "luc.bernard", "");
  record (fixture, "operator-enrol-refused", "", "wrong code");

  sesame_test_desk_start (&fixture->base, "Journal");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->file_id);
  sesame_test_desk_tear_down (&fixture->base, data);
}

static SesameJournalWindow *
open_journal (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.journal", NULL));
  return sesame_test_wait_for_toplevel (SESAME_TYPE_JOURNAL_WINDOW);
}

/* A cell of the newest entry of @action in the operator's history. */
static char *
cell_of (SesameJournalWindow *journal,
         const char          *action,
         const char          *column)
{
  GListModel *model = sesame_journal_window_get_model (journal, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SesameBoxedItem) item = g_list_model_get_item (model, i);
      SesameAuditEntry *entry = sesame_boxed_item_get (item);

      if (g_str_equal (entry->action, action))
        return sesame_journal_window_dup_cell (journal, TRUE, i, column);
    }
  g_assert_not_reached ();
}

/* Every action the store records reads as a sentence with names. */
static void
test_sentences (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct
  {
    const char *action;
    const char *sentence;
  } expected[] = {
    { "reset-password", "Regenerated the password of Zoé MARTIN (zoe.martin)" },
    { "setting", "Changed the number of emails sent per minute to “30”" },
    { "generate-file", "Generated the identifier file “%s” of Collège Les Aravis" },
    { "set-login", "Changed the login of Jean DUPONT from jean.dupont to jean.dupont.6a" },
    { "grant-role", "Granted the identifier manager role to Luc BERNARD (luc.bernard) for chosen classes" },
    { "revoke-admin", "Revoked the administrator role of Sophie GARNIER (sophie.garnier)" },
    { "import", "Imported the directory: 1 file, 1,234 new persons, 1 updated, 0 who left, 1,234 accounts created" },
    { "export-file", "Saved the identifier file “%s” of Collège Les Aravis as “identifiants.csv”" },
    { "campaign-create", "Prepared the mailing “Vos identifiants ENT” for 568 persons (and 3 without an address)" },
    { "campaign-start", "Resumed the mailing “Vos identifiants ENT”: 12 emails to send" },
    { "campaign-end", "Finished sending the mailing “Vos identifiants ENT”: 568 emails sent, 1 failed, 3 persons without an address" },
    { "operator-sign-in-refused", "Refused a sign-in as Hélène ROCHE (helene.roche): wrong passphrase" },
    { "activation-link-used", "Éloïse DUPONT (eloise.dupont) chose a password with the activation link" },
    { "delete-file", "Deleted the identifier file “ENT_0740017S_identifiants.csv” of Collège Les Aravis" },
    { "grant-admin", "Made Sophie GARNIER (sophie.garnier) an administrator for every establishment" },
    { "revoke-role", "Revoked the identifier manager role of Marc FAURE (marc.faure)" },
    { "operator-setup", "Set up the store with Hélène ROCHE (helene.roche) as its administrator" },
    { "operator-invite", "Made an enrolment code for Luc BERNARD (luc.bernard)" },
    { "operator-enrol", "Luc BERNARD (luc.bernard) set their operator passphrase with an enrolment code" },
    { "operator-sign-in", "Luc BERNARD (luc.bernard) signed in" },
    { "operator-enrol-refused", "Refused an enrolment as an unknown login: wrong code" },
  };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  SesameJournalWindow *journal;
  const char *file_name = NULL;
  GListModel *model;

  files = sesame_identifier_files_list (fixture->base.store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (((SesameIdentifierFile *) g_ptr_array_index (files, i))->id, fixture->file_id))
      file_name = ((SesameIdentifierFile *) g_ptr_array_index (files, i))->name;

  journal = open_journal (fixture);
  model = sesame_journal_window_get_model (journal, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *sentence = cell_of (journal, expected[i].action, "What");
      g_autofree char *wanted = NULL;

      if (strstr (expected[i].sentence, "%s") != NULL)
        {
          /* The deleted file keeps the name it had; others are looked up. */
          g_assert_nonnull (file_name);
          g_auto(GStrv) parts = g_strsplit (expected[i].sentence, "%s", -1);

          wanted = g_strjoinv (file_name, parts);
        }
      else
        wanted = g_strdup (expected[i].sentence);
      /* Counts have the thousands separator of the locale's numbers. */
      if (strstr (wanted, "1,234") != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (wanted, "1,234", -1);
          g_autofree char *count = g_strdup_printf ("%'d", 1234);

          g_assert_cmpstr (count, !=, "1234");
          g_free (wanted);
          wanted = g_strjoinv (count, parts);
        }
      g_assert_cmpstr (sentence, ==, wanted);
    }

  /* The print of a class names no account; that of two pupils does. */
  {
    g_autofree char *account = cell_of (journal, "print", "Account");
    g_autofree char *what = cell_of (journal, "print", "What");

    g_assert_cmpstr (account, ==, "");
    g_assert_cmpstr (what, ==, "Printed the identifiers of 2 persons of class 5 B of Collège Les Aravis");
  }

  /* No entry shows a token, a file's UUID or JSON. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autofree char *what = sesame_journal_window_dup_cell (journal, TRUE, i, "What");
      g_autofree char *who = sesame_journal_window_dup_cell (journal, TRUE, i, "Who");

      g_assert_null (strstr (what, fixture->file_id));
      g_assert_null (strstr (what, "campaign-"));
      g_assert_null (strstr (what, "smtp-"));
      g_assert_null (strstr (what, "{"));
      g_assert_cmpstr (who, ==, "Hélène ROCHE (helene.roche)");
    }
}

static gboolean
dialog_shown (gpointer data)
{
  return sesame_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  return g_value_dup_string (&value);
}

/* An entry is read whole in a dialog, and copied from there or the list. */
static void
test_read_and_copy (Fixture       *fixture,
                    gconstpointer  data)
{
  SesameJournalWindow *journal;
  GtkColumnView *view;
  GtkSingleSelection *selection;
  AdwMessageDialog *dialog;
  g_autofree char *what = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *again = NULL;
  guint row = G_MAXUINT;
  GListModel *model;

  journal = open_journal (fixture);
  model = sesame_journal_window_get_model (journal, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (model) && row == G_MAXUINT; i++)
    {
      g_autoptr(SesameBoxedItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (((SesameAuditEntry *) sesame_boxed_item_get (item))->action, "campaign-end"))
        row = i;
    }
  g_assert_cmpuint (row, !=, G_MAXUINT);
  what = sesame_journal_window_dup_cell (journal, TRUE, row, "What");

  /* Nothing selected: nothing to copy or open. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (journal), "journal.copy", NULL) &&
                  gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (journal))) != NULL);

  view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (journal), SESAME_TYPE_JOURNAL_WINDOW, "mine_view"));
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  gtk_single_selection_set_selected (selection, row);

  /* Copy from the list: the date, the operator and the whole sentence. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (journal), "journal.copy", NULL));
  copied = clipboard_text (GTK_WIDGET (journal));
  g_assert_nonnull (strstr (copied, what));
  g_assert_true (g_str_has_suffix (copied, "3 persons without an address"));

  /* Read it whole: the sentence is the dialog's heading, never cut. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (journal)), "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (journal), "journal.show-entry", NULL));
  sesame_test_wait_until (dialog_shown, NULL);
  dialog = sesame_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, what);
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog), "On "));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "\nBy "));
  sesame_test_respond (dialog, "copy");
  again = clipboard_text (GTK_WIDGET (journal));
  g_assert_cmpstr (again, ==, copied);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  SesameJournalWindow *journal;

  journal = open_journal (fixture);
  sesame_test_screenshot (GTK_WINDOW (journal), 1366, "journal.png");
  sesame_test_screenshot (GTK_WINDOW (journal), 600, "journal-narrow.png");
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_ui_init (&argc, &argv);
  /* Numbers as a French office writes them: 1 234. */
  setlocale (LC_NUMERIC, "fr_FR.UTF-8");

  sesame_test_add_ui ("/sesame/journal/sentences", Fixture, NULL, fixture_set_up, test_sentences, fixture_tear_down);
  sesame_test_add_ui ("/sesame/journal/read-and-copy", Fixture, NULL, fixture_set_up, test_read_and_copy, fixture_tear_down);
  sesame_test_add_ui ("/sesame/journal/screenshots", Fixture, NULL, fixture_set_up, test_screenshots, fixture_tear_down);
  return g_test_run ();
}
