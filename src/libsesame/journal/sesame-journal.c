/* sesame-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal says each entry of the audit trail as one sentence a
 * secretary reads: persons, files, establishments and mailings by their
 * names rather than their identifiers, counts in words. The sentences know
 * every domain (a setting, an import, a print, a mailing), so they live
 * above all of them; the trail itself (sesame-audit.c) knows only the
 * store.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-journal"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "sesame-audit.h"
#include "sesame-campaign.h"
#include "sesame-document-language.h"
#include "sesame-journal.h"
#include "sesame-operators-private.h"
#include "sesame-smtp-settings.h"
#include "sesame-store-private.h"

static gint64
member_int (JsonObject *object,
            const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_int_member (object, name) : 0;
}

/* Names instead of identifiers: what the store knows of a login, a UAI, a
 * file or a campaign. Without a store, or when the store no longer knows
 * it (a login changed since, a file deleted long ago), the identifier
 * itself is said, so that nothing is lost. */

static char *
lookup_text (SesameStore *store,
             const char  *sql,
             const char  *value)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  if (store == NULL || value == NULL || *value == '\0')
    return NULL;
  stmt = _sesame_store_prepare (store, sql, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (text != NULL && *g_strstrip (text) == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* "Jeanne MARTIN (jeanne.martin)", or the login alone. */
static char *
person_name (SesameStore *store,
             const char  *login)
{
  g_autofree char *name = lookup_text (store,
                                       "SELECT p.first_name || ' ' || upper (p.last_name) FROM accounts a"
                                       " JOIN persons p ON p.key = a.person_key WHERE a.login = ?1",
                                       login);

  if (login == NULL || *login == '\0')
    return g_strdup (_("an unknown person"));
  if (name == NULL)
    return g_strdup (login);
  return g_strdup_printf ("%s (%s)", name, login);
}

/* The establishment's name, "Collège Jean Moulin", or its UAI. */
static char *
establishment_name (SesameStore *store,
                    const char  *uai)
{
  char *name = lookup_text (store,
                            "SELECT name FROM establishments WHERE uai = ?1"
                            " ORDER BY deleted_at IS NOT NULL, first_seen_at DESC LIMIT 1",
                            uai);

  return name != NULL ? name : g_strdup (uai != NULL ? uai : "");
}

/* “Eleves.csv”, or a file whose name is no longer known. */
static char *
file_name (SesameStore *store,
           const char  *id,
           const char  *known)
{
  g_autofree char *name = NULL;

  if (known != NULL && *known != '\0')
    name = g_strdup (known);
  else
    name = lookup_text (store, "SELECT name FROM identifier_files WHERE id = ?1", id);
  if (name == NULL)
    return g_strdup (_("whose name is no longer known"));
  /* TRANSLATORS: a file's name in a sentence */
  return g_strdup_printf (_("“%s”"), name);
}

static char *
file_establishment (SesameStore *store,
                    const char  *id)
{
  g_autofree char *uai = lookup_text (store, "SELECT establishment FROM identifier_files WHERE id = ?1", id);

  return uai != NULL ? establishment_name (store, uai) : NULL;
}

/* “Subject”, or a mailing whose subject is no longer known. */
static char *
campaign_name (SesameStore *store,
               const char  *id,
               const char  *known)
{
  g_autofree char *subject = NULL;

  if (known != NULL && *known != '\0')
    subject = g_strdup (known);
  else
    subject = lookup_text (store, "SELECT subject FROM campaigns WHERE id = ?1", id);
  if (subject == NULL)
    return g_strdup (_("whose subject is no longer known"));
  /* TRANSLATORS: a mailing's subject in a sentence */
  return g_strdup_printf (_("“%s”"), subject);
}

/* The settings, as Préférences names them. */
static const char *
setting_label (const char *key)
{
  static const struct
  {
    const char *key;
    const char *label;
  } labels[] = {
    { SESAME_SETTING_PASSWORD_LENGTH, N_("length of the generated passwords") },
    { SESAME_SETTING_PASSWORD_EXPIRY_DAYS, N_("days before a first password expires") },
    { SESAME_SETTING_PASSWORD_MIN_LENGTH, N_("shortest password allowed") },
    { SESAME_SETTING_ACADEMY_PREFIX, N_("academy prefix of the keys") },
    { SESAME_SETTING_ENT_NAME, N_("name of the ENT") },
    { SESAME_SETTING_ENT_URL, N_("address of the ENT") },
    { SESAME_SETTING_LOCK_MINUTES, N_("minutes before the window locks") },
    { SESAME_SETTING_LETTER_TEXT, N_("text of the letters") },
    { SESAME_SETTING_DEPARTURE_THRESHOLD, N_("share of departures that asks for a confirmation") },
    { SESAME_SETTING_DOCUMENT_LANGUAGE, N_("language of the documents") },
    { SESAME_SETTING_SMTP_HOST, N_("mail server") },
    { SESAME_SETTING_SMTP_PORT, N_("port of the mail server") },
    { SESAME_SETTING_SMTP_SECURITY, N_("security of the mail server") },
    { SESAME_SETTING_SMTP_USER, N_("user name on the mail server") },
    { SESAME_SETTING_SMTP_FROM_ADDRESS, N_("sender address of the emails") },
    { SESAME_SETTING_SMTP_FROM_NAME, N_("sender name of the emails") },
    { SESAME_SETTING_SMTP_RATE, N_("number of emails sent per minute") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].key, key))
      return _(labels[i].label);
  return NULL;
}

/* Whether a setting's value may be said: long texts are not repeated. */
static gboolean
setting_value_is_short (const char *key,
                        const char *value)
{
  return !g_str_equal (key, SESAME_SETTING_LETTER_TEXT) && g_utf8_strlen (value, -1) <= 80 &&
         strchr (value, '\n') == NULL;
}

static char *
describe_setting (SesameStore            *store,
                  const SesameAuditEntry *entry)
{
  const char *label = setting_label (entry->target);
  g_autofree char *unknown = NULL;

  if (label == NULL)
    /* TRANSLATORS: %s is the internal name of a setting Sésame has no words for */
    label = unknown = g_strdup_printf (_("setting “%s”"), entry->target);
  if (*entry->detail == '\0')
    /* TRANSLATORS: %s is what was changed, e.g. "name of the ENT" */
    return g_strdup_printf (_("Cleared the %s"), label);
  if (setting_value_is_short (entry->target, entry->detail))
    /* TRANSLATORS: the first %s is what was changed, e.g. "name of the ENT", the second its new value */
    return g_strdup_printf (_("Changed the %s to “%s”"), label, entry->detail);
  /* TRANSLATORS: %s is what was changed, e.g. "text of the letters" */
  return g_strdup_printf (_("Changed the %s"), label);
}

/* The import records its counts as JSON: say them in words. */
static char *
describe_import (const SesameAuditEntry *entry)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *counts;
  g_autofree char *files = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *departed = NULL;
  g_autofree char *accounts = NULL;
  gint64 n;

  if (!json_parser_load_from_data (parser, entry->detail, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup_printf (_("Imported the directory (%s)"), entry->detail);

  counts = json_node_get_object (json_parser_get_root (parser));
  n = member_int (counts, "files");
  files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'d file", "%'d files", n), (int) n);
  n = member_int (counts, "persons_created");
  created = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'d new person", "%'d new persons", n), (int) n);
  n = member_int (counts, "persons_updated");
  updated = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'d updated", "%'d updated", n), (int) n);
  n = member_int (counts, "persons_departed");
  departed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'d who left", "%'d who left", n), (int) n);
  n = member_int (counts, "accounts_created");
  accounts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'d account created", "%'d accounts created", n), (int) n);
  /* TRANSLATORS: files read, persons created, updated, who left, accounts created */
  return g_strdup_printf (_("Imported the directory: %s, %s, %s, %s, %s"),
                          files, created, updated, departed, accounts);
}

/* "sent 568, failed 2, …" as the sender records it, in words. */
static char *
describe_campaign_end (SesameStore            *store,
                       const SesameAuditEntry *entry)
{
  g_autofree char *subject = campaign_name (store, entry->target, NULL);
  g_autofree char *state = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *semicolon = strchr (entry->detail, ';');
  unsigned sent = 0, failed = 0, no_address = 0, uncertain = 0, skipped = 0, waiting = 0;
  SesameCampaignState campaign_state;

  if (semicolon == NULL ||
      sscanf (semicolon, "; sent %u, failed %u, without address %u, uncertain %u, skipped %u, waiting %u",
              &sent, &failed, &no_address, &uncertain, &skipped, &waiting) != 6)
    return g_strdup_printf (_("Stopped sending the mailing %s"), subject);

  state = g_strndup (entry->detail, semicolon - entry->detail);
  if (sesame_campaign_state_from_token (state, &campaign_state) && campaign_state == SESAME_CAMPAIGN_STATE_FINISHED)
    g_string_printf (text, _("Finished sending the mailing %s"), subject);
  else if (sesame_campaign_state_from_token (state, &campaign_state) && campaign_state == SESAME_CAMPAIGN_STATE_PAUSED)
    g_string_printf (text, _("Paused the mailing %s"), subject);
  else if (sesame_campaign_state_from_token (state, &campaign_state) && campaign_state == SESAME_CAMPAIGN_STATE_CANCELLED)
    g_string_printf (text, _("Cancelled the mailing %s"), subject);
  else
    g_string_printf (text, _("Stopped sending the mailing %s"), subject);

  g_string_append (text, _(": "));
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%'u email sent", "%'u emails sent", sent), sent);
  if (failed > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %'u failed", ", %'u failed", failed), failed);
  if (no_address > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %'u person without an address",
                                               ", %'u persons without an address", no_address), no_address);
  if (uncertain > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %'u uncertain", ", %'u uncertain", uncertain), uncertain);
  if (skipped > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %'u skipped", ", %'u skipped", skipped), skipped);
  if (waiting > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %'u still to send", ", %'u still to send", waiting), waiting);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "profiles; subject; 12 with an address, 3 without" */
static char *
describe_campaign_create (SesameStore            *store,
                          const SesameAuditEntry *entry)
{
  g_autofree char *subject = NULL;
  g_autofree char *known = NULL;
  const char *with_text = strrchr (entry->detail, ';');
  const char *subject_text = strstr (entry->detail, "; ");
  unsigned with = 0, without = 0;

  /* The subject as it was when the mailing was prepared. */
  if (subject_text != NULL && with_text != NULL && with_text > subject_text)
    known = g_strndup (subject_text + 2, with_text - subject_text - 2);
  subject = campaign_name (store, entry->target, known);
  if (with_text == NULL || sscanf (with_text, "; %u with an address, %u without", &with, &without) != 2)
    return g_strdup_printf (_("Prepared the mailing %s"), subject);
  if (without == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Prepared the mailing %s for %'u person",
                                         "Prepared the mailing %s for %'u persons", with),
                            subject, with);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Prepared the mailing %s for %'u person (and %'u without an address)",
                                       "Prepared the mailing %s for %'u persons (and %'u without an address)", with),
                          subject, with, without);
}

/* "start; 12 to send" or "resume; 12 to send" */
static char *
describe_campaign_start (SesameStore            *store,
                         const SesameAuditEntry *entry)
{
  g_autofree char *subject = campaign_name (store, entry->target, NULL);
  const char *semicolon = strchr (entry->detail, ';');
  unsigned pending = 0;
  gboolean resumed = g_str_has_prefix (entry->detail, "resume");

  if (semicolon == NULL || sscanf (semicolon, "; %u to send", &pending) != 1)
    return g_strdup_printf (resumed ? _("Resumed the mailing %s") : _("Started sending the mailing %s"), subject);
  if (resumed)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Resumed the mailing %s: %'u email to send",
                                         "Resumed the mailing %s: %'u emails to send", pending),
                            subject, pending);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Started sending the mailing %s: %'u email to send",
                                       "Started sending the mailing %s: %'u emails to send", pending),
                          subject, pending);
}

/* A UAI: seven digits and a letter, which no login is. */
/* The logins a print names, or NULL for a class or an establishment. */
static char **
journal_print_logins (const SesameAuditEntry *entry)
{
  g_autofree char *logins = sesame_audit_entry_dup_print_logins (entry);

  return *logins != '\0' ? g_strsplit (logins, " ", -1) : NULL;
}

/* A print names one login, a few logins, a class or an establishment. */
static char *
describe_print (SesameStore            *store,
                const SesameAuditEntry *entry)
{
  g_auto(GStrv) logins = NULL;
  guint64 count = g_ascii_strtoull (entry->detail, NULL, 10);
  g_autofree char *what = NULL;

  if (*entry->target == '\0')
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Printed the identifiers of %'u person",
                                         "Printed the identifiers of %'u persons", count),
                            (guint) count);

  logins = journal_print_logins (entry);
  if (logins != NULL && g_strv_length (logins) == 1)
    {
      what = person_name (store, entry->target);
      return g_strdup_printf (_("Printed the identifiers of %s"), what);
    }
  if (logins != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; logins[i] != NULL; i++)
        {
          g_autofree char *name = person_name (store, logins[i]);

          if (i > 0)
            g_string_append (names, _(", "));
          g_string_append (names, name);
        }
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Printed the identifiers of %'u person: %s",
                                           "Printed the identifiers of %'u persons: %s", count),
                              (guint) count, names->str);
    }
  /* An establishment's UAI, possibly followed by a class. */
  logins = g_strsplit (entry->target, " ", 2);
  {
    g_autofree char *uai = g_strdup (logins[0]);
    g_autofree char *name = establishment_name (store, uai);

    if (logins[1] != NULL && !g_str_equal (name, uai))
      /* TRANSLATORS: the first %s is a class, the second an establishment */
      what = g_strdup_printf (_("class %s of %s"), entry->target + strlen (uai) + 1, name);
    else if (!g_str_equal (name, uai))
      what = g_steal_pointer (&name);
    else
      /* TRANSLATORS: %s is a class */
      what = g_strdup_printf (_("class %s"), entry->target);
  }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Printed the identifiers of %'u person of %s",
                                       "Printed the identifiers of %'u persons of %s", count),
                          (guint) count, what);
}

static const char *
scope_words (const char *token)
{
  if (g_strcmp0 (token, "all") == 0)
    return _("for every establishment");
  if (g_strcmp0 (token, "classes") == 0)
    return _("for chosen classes");
  return _("for their establishment");
}

/* Actions at the desk say whether the identity was checked. */
static char *
describe_desk_action (const SesameAuditEntry *entry,
                      const char             *target)
{
  gboolean checked = g_str_equal (entry->detail, SESAME_AUDIT_IDENTITY_CHECKED);

  if (!checked && !g_str_equal (entry->detail, SESAME_AUDIT_IDENTITY_NOT_CHECKED))
    return NULL;
  if (g_str_equal (entry->action, "reset-password"))
    return g_strdup_printf (checked ? _("Regenerated the password of %s (identity checked: yes)")
                                    : _("Regenerated the password of %s (identity checked: no)"),
                            target);
  if (g_str_equal (entry->action, "show-login"))
    return g_strdup_printf (checked ? _("Showed the login of %s at the desk (identity checked: yes)")
                                    : _("Showed the login of %s at the desk (identity checked: no)"),
                            target);
  return NULL;
}

/**
 * sesame_journal_describe_entry:
 * @self: (nullable): the store the entry comes from
 * @entry: a #SesameAuditEntry
 *
 * What happened, as one sentence a secretary reads: persons, files,
 * establishments and mailings by their names when @self knows them
 * (their identifiers otherwise, and always without a store, as
 * `sesamectl audit` prints them), counts in words.
 *
 * Returns: (transfer full): a translated sentence
 */
char *
sesame_journal_describe_entry (SesameStore            *self,
                               const SesameAuditEntry *entry)
{
  const char *action;
  const char *target;
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (self == NULL || SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  action = entry->action;
  target = entry->target;

  if (g_str_equal (action, "reset-password") || g_str_equal (action, "show-login"))
    {
      char *desk;

      name = person_name (self, target);
      desk = describe_desk_action (entry, name);
      if (desk != NULL)
        return desk;
      if (g_str_equal (action, "reset-password"))
        return g_strdup_printf (_("Regenerated the password of %s"), name);
    }
  if (g_str_equal (action, "activation-email"))
    {
      name = person_name (self, target);
      /* Translators: the activation email of an account was sent: a person's name, then an address */
      return g_strdup_printf (_("Sent the activation link of %s by email to %s"), name, entry->detail);
    }
  if (g_str_equal (action, "activation-email-failed"))
    {
      name = person_name (self, target);
      /* Translators: a person's name, then the reason */
      return g_strdup_printf (_("The activation link of %s could not be sent by email: %s"), name, entry->detail);
    }
  if (g_str_equal (action, "set-login"))
    {
      const char *arrow = strstr (entry->detail, SESAME_AUDIT_LOGIN_CHANGE);
      g_autofree char *old = arrow != NULL ? g_strndup (entry->detail, arrow - entry->detail) : NULL;
      g_autofree char *person = lookup_text (self,
                                             "SELECT p.first_name || ' ' || upper (p.last_name) FROM accounts a"
                                             " JOIN persons p ON p.key = a.person_key WHERE a.login = ?1",
                                             target);

      if (old == NULL)
        return g_strdup_printf (_("Changed a login to %s"), target);
      if (person == NULL)
        /* TRANSLATORS: the old login, then the new one */
        return g_strdup_printf (_("Changed the login %s to %s"), old, target);
      /* TRANSLATORS: a person's name, the old login, then the new one */
      return g_strdup_printf (_("Changed the login of %s from %s to %s"), person, old, target);
    }
  if (g_str_equal (action, "grant-role") || g_str_equal (action, "grant-admin"))
    {
      name = person_name (self, target);
      if (g_str_equal (action, "grant-admin"))
        /* TRANSLATORS: a person's name, then "for every establishment"… */
        return g_strdup_printf (_("Made %s an administrator %s"), name, scope_words (entry->detail));
      /* TRANSLATORS: a person's name, then "for every establishment"… */
      return g_strdup_printf (_("Granted the identifier manager role to %s %s"), name, scope_words (entry->detail));
    }
  if (g_str_equal (action, "revoke-role"))
    {
      name = person_name (self, target);
      return g_strdup_printf (_("Revoked the identifier manager role of %s"), name);
    }
  if (g_str_equal (action, "revoke-admin"))
    {
      name = person_name (self, target);
      return g_strdup_printf (_("Revoked the administrator role of %s"), name);
    }
  if (g_str_equal (action, "import"))
    return describe_import (entry);
  if (g_str_equal (action, "generate-file"))
    {
      name = file_name (self, target, NULL);
      where = establishment_name (self, entry->detail);
      if (*where == '\0')
        return g_strdup_printf (_("Generated the identifier file %s"), name);
      /* TRANSLATORS: a file's name, then an establishment's */
      return g_strdup_printf (_("Generated the identifier file %s of %s"), name, where);
    }
  if (g_str_equal (action, "export-file"))
    {
      g_autofree char *base = g_path_get_basename (entry->detail);

      name = file_name (self, target, NULL);
      where = file_establishment (self, target);
      if (where != NULL)
        /* TRANSLATORS: a file's name, an establishment's, and where it was saved */
        return g_strdup_printf (_("Saved the identifier file %s of %s as “%s”"), name, where, base);
      /* TRANSLATORS: a file's name, and where it was saved */
      return g_strdup_printf (_("Saved the identifier file %s as “%s”"), name, base);
    }
  if (g_str_equal (action, "delete-file"))
    {
      name = file_name (self, target, entry->detail);
      where = file_establishment (self, target);
      if (where != NULL)
        /* TRANSLATORS: a file's name, then an establishment's */
        return g_strdup_printf (_("Deleted the identifier file %s of %s"), name, where);
      return g_strdup_printf (_("Deleted the identifier file %s"), name);
    }
  if (g_str_equal (action, "claim-administrator") || g_str_equal (action, "operator-setup"))
    {
      name = person_name (self, target);
      return g_strdup_printf (_("Set up the store with %s as its administrator"), name);
    }
  /* The desks of a server (sesame-sync-desks.c). */
  if (g_str_equal (action, "desk-add"))
    return g_strdup_printf (_("Added the desk “%s”, which joins the server with its one-time code"), target);
  if (g_str_equal (action, "desk-enrol"))
    return g_strdup_printf (_("The desk “%s” joined the server"), target);
  if (g_str_equal (action, "desk-revoke"))
    return g_strdup_printf (_("Revoked the desk “%s”: the server refuses it from now on"), target);
  /* The services of the server's CAS (sesame-cas-services.c). */
  if (g_str_equal (action, "cas-service-add"))
    return g_strdup_printf (_("Registered the web service %s for sign-in with the ENT account"), target);
  if (g_str_equal (action, "cas-service-remove"))
    return g_strdup_printf (_("Removed the web service %s: it no longer signs anyone in"), target);
  if (g_str_equal (action, "setting"))
    return describe_setting (self, entry);
  if (g_str_equal (action, "print"))
    return describe_print (self, entry);
  if (g_str_equal (action, "campaign-create"))
    return describe_campaign_create (self, entry);
  if (g_str_equal (action, "campaign-start"))
    return describe_campaign_start (self, entry);
  if (g_str_equal (action, "campaign-end"))
    return describe_campaign_end (self, entry);
  if (g_str_equal (action, "activation-link-used"))
    {
      name = person_name (self, target);
      return g_strdup_printf (_("%s chose a password with the activation link"), name);
    }
  if (g_str_has_prefix (action, "operator-"))
    {
      g_autoptr(SesameAuditEntry) named = sesame_audit_entry_copy (entry);

      if (*target != '\0')
        {
          g_free (named->target);
          named->target = person_name (self, target);
        }
      return _sesame_operators_describe_audit (named);
    }
  /* An action of a newer version of Sésame. */
  if (*entry->detail != '\0')
    /* TRANSLATORS: an action Sésame has no words for, what it was about, and more about it */
    return g_strdup_printf (_("Recorded “%s” about %s (%s)"), action, target, entry->detail);
  /* TRANSLATORS: an action Sésame has no words for, and what it was about */
  return g_strdup_printf (_("Recorded “%s” about %s"), action, target);
}

/**
 * sesame_journal_dup_operator_name:
 * @self: (nullable): the store the entry comes from
 * @entry: a #SesameAuditEntry
 *
 * Who acted: "Hélène ROCHE (helene.roche)" for an operator the store
 * knows, the login or the user name of the store's owner otherwise.
 *
 * Returns: (transfer full): the name
 */
char *
sesame_journal_dup_operator_name (SesameStore            *self,
                                const SesameAuditEntry *entry)
{
  g_return_val_if_fail (self == NULL || SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  return person_name (self, entry->operator);
}

