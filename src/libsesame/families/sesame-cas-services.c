/* sesame-cas-services.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The web services that may sign people in with the server's CAS. The
 * protocol leaves the server free to send a browser, with a ticket, to any
 * address a link names; a server that did so would be an open redirect
 * and would hand tickets to anyone. So an administrator registers each
 * service, and a request names a registered one only when its scheme, host
 * and port are the registered ones exactly and its path is the registered
 * path or lies below it (a whole segment: /ent does not cover /entrepot).
 * Dot segments are resolved first, as a browser would, so /ent/../admin
 * is /admin. Plain http is accepted for services on this machine's
 * loopback alone. A registration is one row; removing it sets a tombstone.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-cas"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-cas.h"
#include "sesame-cas-services.h"
#include "sesame-store-private.h"

#define URI_FLAGS (G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE)
#define MAX_URL 2048

G_DEFINE_BOXED_TYPE (SesameCasService, sesame_cas_service, sesame_cas_service_copy, sesame_cas_service_free)

/**
 * sesame_cas_service_copy:
 * @service: a #SesameCasService
 *
 * Copies a registration, e.g. to keep it after its list is freed.
 *
 * Returns: (transfer full): a copy of @service
 */
SesameCasService *
sesame_cas_service_copy (const SesameCasService *service)
{
  SesameCasService *copy;

  g_return_val_if_fail (service != NULL, NULL);

  copy = g_new0 (SesameCasService, 1);
  copy->id = g_strdup (service->id);
  copy->url = g_strdup (service->url);
  copy->added_at = service->added_at;
  copy->added_by = g_strdup (service->added_by);
  return copy;
}

/**
 * sesame_cas_service_free:
 * @service: (nullable): a #SesameCasService
 *
 * Frees @service.
 */
void
sesame_cas_service_free (SesameCasService *service)
{
  if (service == NULL)
    return;
  g_free (service->id);
  g_free (service->url);
  g_free (service->added_by);
  g_free (service);
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Whitespace, control characters and backslashes have no place in a
 * service address; browsers read some of them in ways a parser does not. */
static gboolean
has_odd_characters (const char *url)
{
  for (const guchar *p = (const guchar *) url; *p != '\0'; p++)
    if (*p <= 0x20 || *p == 0x7f || *p == '\\')
      return TRUE;
  return FALSE;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port == -1 || (g_str_equal (g_uri_get_scheme (uri), "https") && port == 443) ||
      (g_str_equal (g_uri_get_scheme (uri), "http") && port == 80))
    return -1;
  return port;
}

/* A service address, parsed, or NULL when it may not be one. */
static GUri *
parse_service (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0' || strlen (url) > MAX_URL || has_odd_characters (url) ||
      !g_utf8_validate (url, -1, NULL))
    return NULL;
  uri = g_uri_parse (url, URI_FLAGS, NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0' || g_uri_get_userinfo (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return NULL;
  if (!g_str_equal (scheme, "https") && !(g_str_equal (scheme, "http") && is_loopback (host)))
    return NULL;
  return g_steal_pointer (&uri);
}

/**
 * sesame_cas_services_normalize:
 * @url: the address of a web service
 * @error: return location for a #GError
 *
 * Checks that @url may be registered and writes it the one way the
 * registry keeps it: scheme and host in lower case, no default port, "/"
 * for an empty path. A service must be https (http only on this machine's
 * loopback), name a host, and carry no user, query or fragment.
 *
 * Returns: (transfer full): the normalised address, or %NULL with a
 *   %SESAME_ERROR_INVALID error saying what is wrong
 */
char *
sesame_cas_services_normalize (const char  *url,
                               GError     **error)
{
  g_autoptr(GUri) uri = parse_service (url);
  g_autofree char *host = NULL;

  if (uri == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not the address of a web service: give an https:// address with its host, "
                     "e.g. https://ent.example.fr/ (http:// only for this machine, 127.0.0.1)."),
                   url != NULL ? url : "");
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” has a query (?…): register the service's address without it; "
                     "requests may add one."),
                   url);
      return NULL;
    }
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, host, effective_port (uri),
                     g_uri_get_path (uri), NULL, NULL);
}

/**
 * sesame_cas_services_url_matches:
 * @registered: a registered address, as sesame_cas_services_normalize()
 *   writes it
 * @service: the `service` a request names
 *
 * Tells whether @service is covered by @registered: same scheme, host and
 * port, and a path equal to the registered one or below it by whole
 * segments, after dot segments are resolved. Any query is allowed; a user
 * part or a fragment never is.
 *
 * Returns: whether @registered covers @service
 */
gboolean
sesame_cas_services_url_matches (const char *registered,
                                 const char *service)
{
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *base_path;
  const char *path;
  gsize length;

  g_return_val_if_fail (registered != NULL, FALSE);

  base = g_uri_parse (registered, URI_FLAGS, NULL);
  uri = parse_service (service);
  if (base == NULL || uri == NULL)
    return FALSE;
  if (!g_str_equal (g_uri_get_scheme (base), g_uri_get_scheme (uri)) ||
      g_ascii_strcasecmp (g_uri_get_host (base), g_uri_get_host (uri)) != 0 ||
      effective_port (base) != effective_port (uri))
    return FALSE;

  base_path = g_uri_get_path (base);
  path = g_uri_get_path (uri);
  if (*base_path == '\0')
    base_path = "/";
  if (*path == '\0')
    path = "/";
  length = strlen (base_path);
  if (strncmp (path, base_path, length) != 0)
    return FALSE;
  return path[length] == '\0' || base_path[length - 1] == '/' || path[length] == '/';
}

static SesameCasService *
service_from_row (sqlite3_stmt *stmt)
{
  SesameCasService *service = g_new0 (SesameCasService, 1);

  service->id = g_strdup (_sesame_column_text (stmt, 0));
  service->url = g_strdup (_sesame_column_text (stmt, 1));
  service->added_at = sqlite3_column_int64 (stmt, 2);
  service->added_by = g_strdup (_sesame_column_text (stmt, 3));
  return service;
}

/**
 * sesame_cas_services_add:
 * @store: the server's #SesameStore
 * @url: the service's address (see sesame_cas_services_normalize())
 * @error: return location for a #GError
 *
 * Registers a web service: from now on the server's CAS signs people in
 * for it. Only an administrator of the whole store may; the audit trail
 * records it.
 *
 * Returns: (transfer full): the registration, or %NULL with @error set:
 *   %SESAME_ERROR_PERMISSION_DENIED, %SESAME_ERROR_INVALID for an address
 *   that may not be registered, %SESAME_ERROR_REFUSED when it already is
 */
SesameCasService *
sesame_cas_services_add (SesameStore  *store,
                         const char   *url,
                         GError      **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *id = NULL;
  SesameCasService *service;
  gboolean exists;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return NULL;
  normalized = sesame_cas_services_normalize (url, error);
  if (normalized == NULL)
    return NULL;

  if (!_sesame_store_begin (store, error))
    return NULL;
  stmt = _sesame_store_prepare (store,
                                "SELECT EXISTS (SELECT 1 FROM cas_services WHERE url = ? AND removed_at IS NULL)",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  exists = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (exists)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("The service %s is already registered."), normalized);
      goto failed;
    }

  id = _sesame_new_id ();
  stmt = _sesame_store_prepare (store,
                                "INSERT INTO cas_services (id, url, added_at, added_by) VALUES (?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, normalized, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (store));
  sqlite3_bind_text (stmt, 4, _sesame_store_operator_name (store), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error) ||
      !_sesame_store_audit (store, "cas-service-add", normalized, NULL, error))
    goto failed;
  if (!_sesame_store_commit (store, error))
    return NULL;

  service = g_new0 (SesameCasService, 1);
  service->id = g_steal_pointer (&id);
  service->url = g_steal_pointer (&normalized);
  service->added_at = sesame_store_now (store);
  service->added_by = g_strdup (_sesame_store_operator_name (store));
  return service;

failed:
  _sesame_store_rollback (store);
  return NULL;
}

/**
 * sesame_cas_services_remove:
 * @store: the server's #SesameStore
 * @url: a registered address, written as it was registered or as
 *   sesame_cas_services_list() gives it
 * @error: return location for a #GError
 *
 * Ends a registration: the server's CAS no longer signs people in for the
 * service, and its tickets not yet validated stop working. Only an
 * administrator of the whole store may; the audit trail records it.
 *
 * Returns: whether it was removed; %FALSE with @error set:
 *   %SESAME_ERROR_PERMISSION_DENIED, %SESAME_ERROR_NOT_FOUND when the
 *   address is not registered
 */
gboolean
sesame_cas_services_remove (SesameStore  *store,
                            const char   *url,
                            GError      **error)
{
  g_autofree char *normalized = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return FALSE;
  normalized = sesame_cas_services_normalize (url, error);
  if (normalized == NULL)
    return FALSE;

  if (!_sesame_store_begin (store, error))
    return FALSE;
  stmt = _sesame_store_prepare (store,
                                "UPDATE cas_services SET removed_at = ?2, removed_by = ?3"
                                " WHERE url = ?1 AND removed_at IS NULL",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sesame_store_now (store));
  sqlite3_bind_text (stmt, 3, _sesame_store_operator_name (store), -1, SQLITE_TRANSIENT);
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (sqlite3_changes (_sesame_store_get_db (store)) == 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                   _("The service %s is not registered: “sesamectl cas services list” shows those that are."),
                   normalized);
      goto failed;
    }
  if (!_sesame_store_audit (store, "cas-service-remove", normalized, NULL, error))
    goto failed;
  return _sesame_store_commit (store, error);

failed:
  _sesame_store_rollback (store);
  return FALSE;
}

/**
 * sesame_cas_services_list:
 * @store: the server's #SesameStore
 * @error: return location for a #GError
 *
 * Lists the registered services, oldest first, for any operator.
 *
 * Returns: (transfer container) (element-type SesameCasService): the
 *   services, or %NULL with @error set
 */
GPtrArray *
sesame_cas_services_list (SesameStore  *store,
                          GError      **error)
{
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_cas_service_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_OPERATE, NULL, error))
    return NULL;
  stmt = _sesame_store_prepare (store,
                                "SELECT id, url, added_at, added_by FROM cas_services"
                                " WHERE removed_at IS NULL ORDER BY added_at, url",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (services, service_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&services);
}

/**
 * sesame_cas_services_match:
 * @store: the server's #SesameStore
 * @service: (nullable): the `service` a request names
 * @error: return location for a #GError
 *
 * Finds the registration that covers @service (see
 * sesame_cas_services_url_matches()), the longest when several do. The
 * server asks this for every request, without an operator.
 *
 * Returns: (transfer full): the registered address, or %NULL with a
 *   %SESAME_CAS_ERROR_UNAUTHORIZED_SERVICE error (or the store's)
 */
char *
sesame_cas_services_match (SesameStore  *store,
                           const char   *service,
                           GError      **error)
{
  g_autofree char *best = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  stmt = _sesame_store_prepare (store, "SELECT url FROM cas_services WHERE removed_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *url = _sesame_column_text (stmt, 0);

      if (service != NULL && sesame_cas_services_url_matches (url, service) &&
          (best == NULL || strlen (url) > strlen (best)))
        {
          g_free (best);
          best = g_strdup (url);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sesame_store_set_error (store, error);
      return NULL;
    }
  if (best == NULL)
    {
      g_set_error_literal (error, SESAME_CAS_ERROR, SESAME_CAS_ERROR_UNAUTHORIZED_SERVICE,
                           _("This service is not registered with this server: its administrator registers it "
                             "with “sesamectl cas services add”."));
      return NULL;
    }
  return g_steal_pointer (&best);
}
