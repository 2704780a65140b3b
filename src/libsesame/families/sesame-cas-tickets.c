/* sesame-cas-tickets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service tickets of the server's CAS. A ticket is what a browser
 * carries back to a service after signing in; whoever holds it may sign in
 * as that person, once, at that service. So it is "ST-" and 43 letters or
 * digits drawn at random (libsodium; 62^43 is over 2^256), and nothing else:
 * CAS 3.0 allows only letters, digits and the hyphen in a ticket (section
 * 3.7), and clients hold to it (Apache's mod_auth_cas takes a "ticket"
 * parameter with any other character for no ticket and sends the browser
 * round to /cas/login again, the parameter left in the address). The
 * store keeps only its BLAKE2b hash,
 * it names the exact service address it was issued for, it lives
 * SESAME_CAS_TICKET_SECONDS (a minute: the browser's redirect and the
 * service's validation take a second or two, a slow phone a few more, and
 * the protocol's ceiling is five minutes), and its first validation, good
 * or bad, uses it up, as the protocol requires. It also records whether it
 * comes from a sign-in the person has just made, for services that ask
 * for one (renew). Tickets belong to the server that issued them and are
 * never synced; those long expired are purged.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-cas"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-cas.h"
#include "sesame-cas-services.h"
#include "sesame-cas-tickets.h"
#include "sesame-person-private.h"
#include "sesame-persons-private.h"
#include "sesame-store-private.h"

/* Letters and digits only, each drawn uniformly: 43 of them carry over 256
 * bits. */
#define TICKET_CHARS 43
static const char ticket_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* Expired tickets are kept an hour, then purged: long enough for whoever
 * reads the store after a failed validation to see why. */
#define PURGE_AFTER_SECONDS 3600

static char *
hash_ticket (const char *ticket)
{
  guint8 hash[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (hash, sizeof hash, (const guint8 *) ticket, strlen (ticket), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

static gboolean
ticket_is_well_formed (const char *ticket)
{
  const char *p;

  if (ticket == NULL || !g_str_has_prefix (ticket, SESAME_CAS_TICKET_PREFIX) ||
      strlen (ticket) != strlen (SESAME_CAS_TICKET_PREFIX) + TICKET_CHARS)
    return FALSE;
  for (p = ticket + strlen (SESAME_CAS_TICKET_PREFIX); *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

/* The key of the account @login when it may sign in, else NULL. */
static char *
active_account_key (SesameStore *store,
                    const char  *login)
{
  sqlite3_stmt *stmt;
  char *key = NULL;

  stmt = _sesame_store_prepare (store,
                                "SELECT a.person_key FROM accounts a JOIN persons p ON p.key = a.person_key"
                                " WHERE a.login = ? AND a.deleted_at IS NULL AND a.disabled_at IS NULL"
                                " AND p.deleted_at IS NULL AND p.left_at IS NULL",
                                NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = g_strdup (_sesame_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return key;
}

/**
 * sesame_cas_tickets_issue:
 * @store: the server's #SesameStore
 * @login: the login of the person signed in
 * @service: the `service` of the request, which a registration covers
 * @from_new_sign_in: whether the person has just typed their password for
 *   this request, rather than coming with a session they already had
 * @error: return location for a #GError
 *
 * Issues a service ticket for the signed-in person, valid once for
 * @service within %SESAME_CAS_TICKET_SECONDS. The ticket itself is
 * returned once and never stored.
 *
 * Returns: (transfer full): the ticket ("ST-…"), or %NULL with @error set:
 *   %SESAME_CAS_ERROR_UNAUTHORIZED_SERVICE for a service not registered,
 *   %SESAME_ERROR_REFUSED for an account that may not sign in
 */
char *
sesame_cas_tickets_issue (SesameStore  *store,
                          const char   *login,
                          const char   *service,
                          gboolean      from_new_sign_in,
                          GError      **error)
{
  char drawn[TICKET_CHARS + 1];
  g_autofree char *registered = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  gint64 now;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  registered = sesame_cas_services_match (store, service, error);
  if (registered == NULL)
    return NULL;

  if (!_sesame_store_begin (store, error))
    return NULL;
  key = active_account_key (store, login);
  if (key == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The account “%s” cannot sign in: it does not exist or is disabled."), login);
      goto failed;
    }

  /* randombytes_uniform() has no modulo bias. */
  for (guint i = 0; i < TICKET_CHARS; i++)
    drawn[i] = ticket_alphabet[randombytes_uniform (sizeof ticket_alphabet - 1)];
  drawn[TICKET_CHARS] = '\0';
  ticket = g_strconcat (SESAME_CAS_TICKET_PREFIX, drawn, NULL);
  sodium_memzero (drawn, sizeof drawn);
  hash = hash_ticket (ticket);
  id = _sesame_new_id ();
  now = sesame_store_now (store);

  stmt = _sesame_store_prepare (store, "DELETE FROM cas_tickets WHERE expires_at < ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now - PURGE_AFTER_SECONDS);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;

  stmt = _sesame_store_prepare (store,
                                "INSERT INTO cas_tickets (id, ticket_hash, service, person_key, from_new_sign_in,"
                                " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, from_new_sign_in ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, now + SESAME_CAS_TICKET_SECONDS);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (!_sesame_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&ticket);

failed:
  _sesame_store_rollback (store);
  return NULL;
}

/* A parent's classes are their children's: what a service shows a parent. */
static void
set_children_classes (SesameStore  *store,
                      SesamePerson *person)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) children = NULL;
  g_auto(GStrv) classes = NULL;

  children = _sesame_persons_list_values (store,
                                          "SELECT g.pupil_key FROM guardians g JOIN persons c ON c.key = g.pupil_key"
                                          " WHERE g.parent_key = ? AND g.deleted_at IS NULL AND c.deleted_at IS NULL"
                                          " AND c.left_at IS NULL",
                                          sesame_person_get_key (person));
  for (guint i = 0; children[i] != NULL; i++)
    {
      g_auto(GStrv) codes = _sesame_persons_list_values (store,
                                                         "SELECT DISTINCT code FROM memberships WHERE person_key = ?"
                                                         " AND kind = 'class' AND deleted_at IS NULL ORDER BY code",
                                                         children[i]);

      for (guint j = 0; codes[j] != NULL; j++)
        if (g_hash_table_add (seen, g_strdup (codes[j])))
          g_strv_builder_add (builder, codes[j]);
    }
  classes = g_strv_builder_end (builder);
  _sesame_person_set_classes (person, (const char * const *) classes);
}

static void
set_invalid_ticket (GError **error)
{
  g_set_error_literal (error, SESAME_CAS_ERROR, SESAME_CAS_ERROR_INVALID_TICKET,
                       _("The ticket is not recognised: it is unknown, was already used or has expired."));
}

/**
 * sesame_cas_tickets_validate:
 * @store: the server's #SesameStore
 * @ticket: (nullable): the `ticket` of a validation request
 * @service: (nullable): its `service`
 * @renew: whether the service asks for a ticket from a new sign-in
 * @from_new_sign_in: (out) (optional): whether the ticket comes from a
 *   sign-in made for it
 * @error: return location for a #GError
 *
 * Validates a service ticket, as /cas/serviceValidate does: the ticket is
 * used up whatever the outcome. It must be known, not used, not expired,
 * issued for exactly @service, which must still be registered, from a new
 * sign-in when @renew is set, and its account must still be able to sign
 * in.
 *
 * Returns: (transfer full): the person signed in (a parent's classes are
 *   their children's), or %NULL with a %SESAME_CAS_ERROR error (or the
 *   store's)
 */
SesamePerson *
sesame_cas_tickets_validate (SesameStore  *store,
                             const char   *ticket,
                             const char   *service,
                             gboolean      renew,
                             gboolean     *from_new_sign_in,
                             GError      **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  g_autofree char *issued_for = NULL;
  g_autofree char *person_key = NULL;
  g_autofree char *registered = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autoptr(GError) refusal = NULL;
  gboolean fresh = FALSE;
  gint64 expires_at = 0;
  gint64 now;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (ticket == NULL || *ticket == '\0' || service == NULL || *service == '\0')
    {
      g_set_error_literal (error, SESAME_CAS_ERROR, SESAME_CAS_ERROR_INVALID_REQUEST,
                           _("The request must give both “ticket” and “service”."));
      return NULL;
    }
  if (!ticket_is_well_formed (ticket))
    {
      set_invalid_ticket (error);
      return NULL;
    }
  hash = hash_ticket (ticket);

  if (!_sesame_store_begin (store, error))
    return NULL;
  now = sesame_store_now (store);
  stmt = _sesame_store_prepare (store,
                                "SELECT id, service, person_key, from_new_sign_in, expires_at FROM cas_tickets"
                                " WHERE ticket_hash = ? AND used_at IS NULL",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = g_strdup (_sesame_column_text (stmt, 0));
      issued_for = g_strdup (_sesame_column_text (stmt, 1));
      person_key = g_strdup (_sesame_column_text (stmt, 2));
      fresh = sqlite3_column_int (stmt, 3) != 0;
      expires_at = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (id == NULL)
    {
      set_invalid_ticket (error);
      goto failed;
    }

  /* Used up now, whatever comes next (CAS 3.0, section 3.1). */
  stmt = _sesame_store_prepare (store, "UPDATE cas_tickets SET used_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;

  if (expires_at <= now)
    set_invalid_ticket (&refusal);
  else if (!g_str_equal (issued_for, service))
    g_set_error_literal (&refusal, SESAME_CAS_ERROR, SESAME_CAS_ERROR_INVALID_SERVICE,
                         _("The ticket was issued for another service; it no longer works."));
  else if ((registered = sesame_cas_services_match (store, service, &refusal)) == NULL)
    ;
  else if (renew && !fresh)
    g_set_error_literal (&refusal, SESAME_CAS_ERROR, SESAME_CAS_ERROR_INVALID_TICKET,
                         _("The service asked for a new sign-in (renew), and this ticket comes from an earlier one."));

  if (refusal == NULL)
    {
      person = _sesame_persons_load (store, person_key, NULL);
      if (person == NULL || sesame_person_get_state (person) == SESAME_ACCOUNT_STATE_DISABLED ||
          sesame_person_get_has_left (person) || *sesame_person_get_login (person) == '\0')
        {
          g_clear_object (&person);
          g_set_error_literal (&refusal, SESAME_CAS_ERROR, SESAME_CAS_ERROR_INVALID_TICKET,
                               _("The account of this ticket can no longer sign in."));
        }
    }

  if (!_sesame_store_commit (store, error))
    return NULL;
  if (refusal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&refusal));
      return NULL;
    }
  if (sesame_person_get_profile (person) == SESAME_PROFILE_PARENT)
    set_children_classes (store, person);
  if (from_new_sign_in != NULL)
    *from_new_sign_in = fresh;
  return g_steal_pointer (&person);

failed:
  _sesame_store_rollback (store);
  return NULL;
}
