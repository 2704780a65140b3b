/* sesame-sync-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's link to sesame-server, over HTTPS with libcurl. Joining pins
 * the server's certificate: by the fingerprint the administrator read on
 * the server's screen, or, for a certificate a known authority signed, by
 * that authority; from then on every request checks the server's public
 * key against the pin during the handshake, before anything is sent, so
 * that a passphrase never reaches another machine. The desk makes its own
 * Ed25519 key pair when it joins; the private key lives in the keyring,
 * never in the store, and signs every request. Operators sign in against
 * the server when it answers, and the desk keeps an Argon2id verifier of
 * each one who did, so that they can sign in when it does not.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sodium.h>

#include "sesame-operators-private.h"
#include "sesame-seal-private.h"
#include "sesame-store-private.h"
#include "sesame-sync-client.h"
#include "sesame-sync-desks.h"
#include "sesame-sync-snapshot.h"
# include "sesame-sync-desk.h"

/* Feed entries asked for at once, and rounds of pull and push before a
 * round gives up on entries the server keeps calling stale. */
#define FEED_PAGE 500
#define STALE_RETRIES 3

/**
 * sesame_sync_client_error_quark:
 *
 * The error domain of a desk's link to sesame-server, whose codes are the
 * #SesameSyncClientError values.
 *
 * Returns: the quark of %SESAME_SYNC_CLIENT_ERROR
 */
G_DEFINE_QUARK (sesame-sync-client-error-quark, sesame_sync_client_error)

static const SecretSchema desk_key_schema = {
  "fr.sesame.Sesame.Desk", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "desk", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* What a desk needs to talk to its server. */
typedef struct
{
  char   *url;
  char   *fingerprint;
  char   *pin;
  char   *desk_id;
  char   *desk_name;
  guint8  secret_key[crypto_sign_SECRETKEYBYTES];
  gboolean has_key;
} Link;

static void
link_clear (Link *link)
{
  g_clear_pointer (&link->url, g_free);
  g_clear_pointer (&link->fingerprint, g_free);
  g_clear_pointer (&link->pin, g_free);
  g_clear_pointer (&link->desk_id, g_free);
  g_clear_pointer (&link->desk_name, g_free);
  sodium_memzero (link->secret_key, sizeof link->secret_key);
  link->has_key = FALSE;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Link, link_clear)

/**
 * sesame_sync_join_report_clear:
 * @report: a #SesameSyncJoinReport
 *
 * Frees what @report holds.
 */
void
sesame_sync_join_report_clear (SesameSyncJoinReport *report)
{
  g_clear_pointer (&report->desk, g_free);
  g_clear_pointer (&report->fingerprint, g_free);
}

/**
 * sesame_sync_refusal_free:
 * @refusal: (nullable): a #SesameSyncRefusal
 *
 * Frees @refusal.
 */
void
sesame_sync_refusal_free (SesameSyncRefusal *refusal)
{
  if (refusal == NULL)
    return;
  g_free (refusal->entry_id);
  g_free (refusal->operator);
  g_free (refusal->action);
  g_free (refusal->reason);
  g_free (refusal);
}

/**
 * sesame_sync_round_report_clear:
 * @report: a #SesameSyncRoundReport
 *
 * Frees what @report holds.
 */
void
sesame_sync_round_report_clear (SesameSyncRoundReport *report)
{
  g_clear_pointer (&report->refused, g_ptr_array_unref);
}

/**
 * sesame_sync_client_normalize_fingerprint:
 * @fingerprint: a SHA-256 fingerprint, with or without colons, any case
 *
 * Puts a certificate fingerprint as a person types or pastes it into the
 * one form that pinned fingerprints are stored and compared in.
 *
 * Returns: (transfer full) (nullable): the fingerprint as 64 lower-case
 *   hexadecimal digits, or %NULL if it is not one
 */
char *
sesame_sync_client_normalize_fingerprint (const char *fingerprint)
{
  GString *out = g_string_new (NULL);

  for (const char *p = fingerprint; p != NULL && *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  if (out->len != 64)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static void
ensure_curl (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

typedef struct
{
  GByteArray *body;
  FILE       *file;
  guint64     bytes;
} Sink;

static size_t
sink_write (char   *data,
            size_t  size,
            size_t  count,
            void   *user_data)
{
  Sink *sink = user_data;
  size_t length = size * count;

  sink->bytes += length;
  if (sink->file != NULL)
    return fwrite (data, 1, length, sink->file);
  g_byte_array_append (sink->body, (const guint8 *) data, length);
  return length;
}

/* How a request reaches the server. */
typedef struct
{
  const char   *url;
  const char   *method;
  GBytes       *body;
  const char   *pin;           /* sha256//… or NULL */
  gboolean      verify_ca;     /* with no pin: the system's authorities */
  gboolean      want_certificate;
  const Link   *signer;        /* signs the request when not NULL */
  const char   *path;          /* what is signed */
  FILE         *file;          /* the answer goes there when not NULL */
  long          timeout;
  GCancellable *cancellable;   /* stops the transfer when cancelled */
} Request;

typedef struct
{
  guint       status;
  GBytes     *body;
  guint64     bytes;
  char       *certificate_pem;
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->certificate_pem, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static struct curl_slist *
sign_headers (const Link    *link,
              const char    *method,
              const char    *path,
              GBytes        *body,
              struct curl_slist *headers)
{
  guint8 raw_nonce[16];
  char nonce[sizeof raw_nonce * 2 + 1];
  guint8 signature[crypto_sign_BYTES];
  g_autofree char *message = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *line = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize length = 0;
  gconstpointer data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  randombytes_buf (raw_nonce, sizeof raw_nonce);
  sodium_bin2hex (nonce, sizeof nonce, raw_nonce, sizeof raw_nonce);
  message = sesame_sync_desks_request_message (method, path, link->desk_id, now, nonce, data, length);
  crypto_sign_detached (signature, NULL, (const guint8 *) message, strlen (message), link->secret_key);
  encoded = g_base64_encode (signature, sizeof signature);

  line = g_strdup_printf (SESAME_SYNC_HEADER_DESK ": %s", link->desk_id);
  headers = curl_slist_append (headers, line);
  g_free (line);
  line = g_strdup_printf (SESAME_SYNC_HEADER_TIME ": %" G_GINT64_FORMAT, now);
  headers = curl_slist_append (headers, line);
  g_free (line);
  line = g_strdup_printf (SESAME_SYNC_HEADER_NONCE ": %s", nonce);
  headers = curl_slist_append (headers, line);
  g_free (line);
  line = g_strdup_printf (SESAME_SYNC_HEADER_SIGNATURE ": %s", encoded);
  headers = curl_slist_append (headers, line);
  return headers;
}

/* "Accept-Language: fr-FR, fr;q=0.9" from the languages gettext tries
 * for this desk's interface, so that the server writes its reasons in
 * the language the operator reads. NULL for the C locale. */
static char *
accept_language_header (void)
{
  const char * const *names = g_get_language_names ();
  g_autoptr(GString) header = g_string_new ("Accept-Language: ");
  guint count = 0;

  for (guint i = 0; names[i] != NULL && count < 8; i++)
    {
      g_autofree char *tag = NULL;

      /* Only the plain variants (no codeset nor modifier): fr_FR, fr. */
      if (strchr (names[i], '.') != NULL || strchr (names[i], '@') != NULL ||
          g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        continue;
      tag = g_strdup (names[i]);
      g_strdelimit (tag, "_", '-');
      if (count == 0)
        g_string_append (header, tag);
      else
        g_string_append_printf (header, ", %s;q=0.%u", tag, MAX (9 - count, 1));
      count++;
    }
  if (count == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&header), FALSE);
}

static char *
find_certificate (CURL *curl)
{
  struct curl_certinfo *info = NULL;

  if (curl_easy_getinfo (curl, CURLINFO_CERTINFO, &info) != CURLE_OK || info == NULL || info->num_of_certs < 1)
    return NULL;
  for (struct curl_slist *item = info->certinfo[0]; item != NULL; item = item->next)
    if (g_str_has_prefix (item->data, "Cert:"))
      return g_strdup (item->data + strlen ("Cert:"));
  return NULL;
}

/* libcurl asks this every so often during a transfer: a nonzero answer
 * stops it. */
static int
check_cancelled (void       *data,
                 curl_off_t  download_total,
                 curl_off_t  downloaded,
                 curl_off_t  upload_total,
                 curl_off_t  uploaded)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static gboolean
perform (const Request  *request,
         Response       *response,
         GError        **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  char curl_error[CURL_ERROR_SIZE] = "";
  struct curl_slist *headers = NULL;
  Sink sink = { body, request->file, 0 };
  g_autofree char *full_url = g_strconcat (request->url, request->path, NULL);
  CURL *curl;
  CURLcode rc;
  long status = 0;
  gsize length = 0;
  gconstpointer data = request->body != NULL ? g_bytes_get_data (request->body, &length) : NULL;
  g_autofree char *language = accept_language_header ();

  ensure_curl ();
  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error_literal (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE,
                           _("Cannot start a connection to the server."));
      return FALSE;
    }
  curl_easy_setopt (curl, CURLOPT_URL, full_url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, request->timeout > 0 ? request->timeout : 60L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_write);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt (curl, CURLOPT_ACCEPT_ENCODING, "");
  if (request->pin != NULL)
    {
      /* The pin replaces the authorities: the server's own key, checked
       * during the handshake. */
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 0L);
      curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, request->pin);
    }
  else
    {
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, request->verify_ca ? 1L : 0L);
      curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, request->verify_ca ? 2L : 0L);
    }
  if (request->want_certificate)
    curl_easy_setopt (curl, CURLOPT_CERTINFO, 1L);
  if (request->cancellable != NULL)
    {
      if (g_cancellable_set_error_if_cancelled (request->cancellable, error))
        {
          curl_easy_cleanup (curl);
          return FALSE;
        }
      curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, check_cancelled);
      curl_easy_setopt (curl, CURLOPT_XFERINFODATA, request->cancellable);
      curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
    }

  headers = curl_slist_append (headers, "Accept: application/json");
  if (language != NULL)
    headers = curl_slist_append (headers, language);
  if (request->body != NULL)
    headers = curl_slist_append (headers, "Content-Type: application/json");
  if (request->signer != NULL)
    headers = sign_headers (request->signer, request->method, request->path, request->body, headers);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  if (g_str_equal (request->method, "POST"))
    {
      curl_easy_setopt (curl, CURLOPT_POST, 1L);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, data != NULL ? data : "");
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
    }

  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  if (request->want_certificate)
    response->certificate_pem = find_certificate (curl);
  curl_easy_cleanup (curl);
  curl_slist_free_all (headers);

  if (rc == CURLE_ABORTED_BY_CALLBACK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled: nothing more was asked of %s."),
                   request->url);
      return FALSE;
    }
  if (rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_FINGERPRINT,
                   _("The server at %s shows another certificate than the one this desk pinned: another machine may be answering in its place. Nothing was sent. Ask the server's administrator."),
                   request->url);
      return FALSE;
    }
  if (rc == CURLE_PEER_FAILED_VERIFICATION)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_FINGERPRINT,
                   _("The certificate of %s is not signed by an authority this computer knows (%s)."),
                   request->url, curl_error);
      return FALSE;
    }
  if (rc == CURLE_WRITE_ERROR && request->file != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot write what the server sends: %s"), g_strerror (errno));
      return FALSE;
    }
  if (rc != CURLE_OK)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE,
                   _("The server at %s cannot be reached: %s"), request->url,
                   curl_error[0] != '\0' ? curl_error : curl_easy_strerror (rc));
      return FALSE;
    }
  response->status = (guint) status;
  response->bytes = sink.bytes;
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
  return TRUE;
}

/* The server's answer as JSON, or the reason it gave for an error. */
static JsonObject *
parse_answer (const Response  *response,
              GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (response->body, &length);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_PROTOCOL,
                   _("The server answered %u with something that is not Sésame's JSON: is it a sesame-server?"),
                   response->status);
      return NULL;
    }
  if (response->status != 200)
    {
      JsonObject *object = json_node_get_object (root);
      const char *reason = json_object_get_string_member_with_default (object, "error", NULL);

      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_REFUSED,
                   _("The server refused: %s"), reason != NULL ? reason : _("no reason given"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static guint8 *
pem_to_der (const char *pem,
            gsize      *length)
{
  GString *base64 = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
  guint8 *der;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line == '\0' || g_str_has_prefix (line, "-----"))
        continue;
      g_string_append (base64, line);
    }
  der = g_base64_decode (base64->str, length);
  g_string_free (base64, TRUE);
  return der;
}

/* The SHA-256 fingerprint of the certificate, and the pin of its public
 * key in libcurl's form (sha256//BASE64 of the SubjectPublicKeyInfo). */
static gboolean
read_certificate (const char  *pem,
                  char       **fingerprint,
                  char       **pin,
                  GError     **error)
{
  g_autofree guint8 *der = NULL;
  gsize der_length = 0;
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t datum;
  gnutls_datum_t spki = { NULL, 0 };
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  g_autofree char *encoded = NULL;
  gboolean ok = FALSE;

  der = pem != NULL ? pem_to_der (pem, &der_length) : NULL;
  if (der == NULL || der_length == 0)
    goto out;
  *fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, der_length);

  datum.data = der;
  datum.size = der_length;
  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0 ||
      gnutls_pubkey_init (&key) < 0 ||
      gnutls_pubkey_import_x509 (key, crt, 0) < 0 ||
      gnutls_pubkey_export2 (key, GNUTLS_X509_FMT_DER, &spki) < 0)
    goto out;
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, spki.data, spki.size);
  g_checksum_get_digest (checksum, digest, &digest_length);
  encoded = g_base64_encode (digest, digest_length);
  *pin = g_strconcat ("sha256//", encoded, NULL);
  ok = TRUE;

out:
  gnutls_free (spki.data);
  if (key != NULL)
    gnutls_pubkey_deinit (key);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (!ok)
    {
      g_clear_pointer (fingerprint, g_free);
      g_set_error_literal (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("The server sent no certificate this desk can read."));
    }
  return ok;
}

static char *
format_fingerprint (const char *hex)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; hex[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
      g_string_append_c (out, g_ascii_toupper (hex[i + 1]));
    }
  return g_string_free (out, FALSE);
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (*g_uri_get_path (uri) != '\0' && !g_str_equal (g_uri_get_path (uri), "/")) ||
      g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not a server address: give https://HOST:PORT, as sesame-server printed it."),
                   url);
      return FALSE;
    }
  return TRUE;
}

static char *
keyring_label (const Link *link)
{
  return g_strdup_printf (_("Sésame desk “%s” on %s"), link->desk_name, link->url);
}

static gboolean
store_secret_key (const Link  *link,
                  GError     **error)
{
  char hex[crypto_sign_SECRETKEYBYTES * 2 + 1];
  g_autofree char *label = keyring_label (link);
  gboolean ok;

  sodium_bin2hex (hex, sizeof hex, link->secret_key, sizeof link->secret_key);
  ok = secret_password_store_sync (&desk_key_schema, SECRET_COLLECTION_DEFAULT, label, hex, NULL, error,
                                   "server", link->url, "desk", link->desk_id, NULL);
  sodium_memzero (hex, sizeof hex);
  if (!ok)
    g_prefix_error (error, _("Cannot keep the desk's key in the keyring: "));
  return ok;
}

/* The link of a joined desk: its row in the store, its key in the keyring. */
static gboolean
load_link (SesameStore  *store,
           Link         *link,
           gboolean      with_key,
           GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  char *hex;
  size_t length = 0;
  gboolean ok;

  stmt = _sesame_store_prepare (store,
                                "SELECT url, fingerprint, public_key_pin, desk_id, desk_name FROM sync_server LIMIT 1",
                                error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      link->url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      link->fingerprint = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      link->pin = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      link->desk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      link->desk_name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_reset (stmt);
  if (link->url == NULL)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                   _("The store %s joined no server: “sesamectl join” makes a desk of a server."),
                   sesame_store_get_path (store));
      return FALSE;
    }
  if (!with_key)
    return TRUE;

  hex = secret_password_lookup_sync (&desk_key_schema, NULL, &local_error,
                                     "server", link->url, "desk", link->desk_id, NULL);
  if (hex == NULL)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                   _("The key of desk “%s” is not in this session's keyring%s%s: unlock the keyring, or join the server again with a new code."),
                   link->desk_name, local_error != NULL ? " — " : "",
                   local_error != NULL ? local_error->message : "");
      return FALSE;
    }
  ok = sodium_hex2bin (link->secret_key, sizeof link->secret_key, hex, strlen (hex), NULL, &length, NULL) == 0 &&
       length == sizeof link->secret_key;
  secret_password_free (hex);
  if (!ok)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                   _("The key of desk “%s” in the keyring is damaged: join the server again with a new code."),
                   link->desk_name);
      return FALSE;
    }
  link->has_key = TRUE;
  return TRUE;
}

static void
record_attempt (SesameStore  *store,
                const GError *error)
{
  sqlite3_stmt *stmt;

  if (sesame_store_is_read_only (store))
    return;
  stmt = _sesame_store_prepare (store, "UPDATE sync_server SET last_attempt_at = ?, last_error = ?", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, sesame_store_now (store));
  if (error != NULL)
    sqlite3_bind_text (stmt, 2, error->message, -1, SQLITE_TRANSIENT);
  _sesame_store_step_done (store, stmt, NULL);
}

/**
 * sesame_sync_client_join:
 * @store_path: where the desk's store goes; nothing must be there
 * @url: the server's address, https://HOST:PORT
 * @code: the one-time code of `sesamectl desks add`
 * @fingerprint: (nullable): the SHA-256 fingerprint sesame-server printed;
 *   without it the certificate must be signed by an authority this
 *   computer knows
 * @report: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Makes a desk of the server: checks its certificate and pins it, enrols
 * with @code and a key pair made here (the private key goes to the
 * keyring), downloads the snapshot of the establishments the desk serves
 * and installs it at @store_path.
 *
 * Returns: (transfer full): the desk's store, or %NULL with @error set
 *   (%SESAME_SYNC_CLIENT_ERROR_FINGERPRINT when the certificate is not
 *   the one given)
 */
SesameStore *
sesame_sync_client_join (const char            *store_path,
                         const char            *url,
                         const char            *code,
                         const char            *fingerprint,
                         SesameSyncJoinReport  *report,
                         GError               **error)
{
  return sesame_sync_client_join_full (store_path, url, code, fingerprint, NULL, report, error);
}

/**
 * sesame_sync_client_join_full:
 * @store_path: where the desk's store goes; nothing must be there
 * @url: the server's address, https://HOST:PORT
 * @code: the one-time code of `sesamectl desks add`
 * @fingerprint: (nullable): the SHA-256 fingerprint sesame-server printed
 * @cancellable: (nullable): stops joining, between two steps or during a
 *   transfer
 * @report: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * sesame_sync_client_join() that a person may stop, as the window's join
 * dialog lets them: cancelled, it leaves nothing at @store_path and fails
 * with %G_IO_ERROR_CANCELLED (a code already spent on enrolment must then
 * be made again).
 *
 * Returns: (transfer full): the desk's store, or %NULL with @error set
 */
SesameStore *
sesame_sync_client_join_full (const char            *store_path,
                              const char            *url,
                              const char            *code,
                              const char            *fingerprint,
                              GCancellable          *cancellable,
                              SesameSyncJoinReport  *report,
                              GError               **error)
{
  g_auto(Link) link = { 0 };
  g_auto(Response) probe = { 0 };
  g_auto(Response) enrolment = { 0 };
  g_auto(Response) snapshot = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *part = NULL;
  g_autofree char *text = NULL;
  g_autofree char *establishments = NULL;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  char public_hex[crypto_sign_PUBLICKEYBYTES * 2 + 1];
  gint64 started = g_get_monotonic_time ();
  gint64 head = 0;
  JsonArray *uais;
  FILE *file;
  Request request = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (!check_url (url, error))
    return NULL;
  if (fingerprint != NULL && (expected = sesame_sync_client_normalize_fingerprint (fingerprint)) == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not a SHA-256 fingerprint: give the 64 hexadecimal digits sesame-server printed (colons allowed)."),
                   fingerprint);
      return NULL;
    }
  if (g_file_test (store_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("%s already exists: a desk joins with a new store. Choose another --store, or move that file away."),
                   store_path);
      return NULL;
    }
  link.url = g_strdup (url);
  if (g_str_has_suffix (link.url, "/"))
    link.url[strlen (link.url) - 1] = '\0';

  /* 1. The certificate, before anything secret is sent. */
  request.url = link.url;
  request.path = "/api/v1/hello";
  request.method = "GET";
  request.want_certificate = TRUE;
  request.verify_ca = expected == NULL;
  request.cancellable = cancellable;
  if (expected == NULL)
    {
      g_auto(Response) unchecked = { 0 };
      g_autoptr(GError) ca_error = NULL;

      if (!perform (&request, &probe, &ca_error))
        {
          Request look = request;

          if (!g_error_matches (ca_error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_FINGERPRINT))
            {
              g_propagate_error (error, g_steal_pointer (&ca_error));
              return NULL;
            }
          /* Say which fingerprint to check with the administrator. */
          look.verify_ca = FALSE;
          if (perform (&look, &unchecked, NULL) &&
              read_certificate (unchecked.certificate_pem, &link.fingerprint, &link.pin, NULL))
            {
              g_autofree char *shown = format_fingerprint (link.fingerprint);

              g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_FINGERPRINT,
                           _("The server's certificate is its own (fingerprint %s). Check that this is the fingerprint sesame-server printed, then join again with --fingerprint %s."),
                           shown, shown);
            }
          else
            g_propagate_error (error, g_steal_pointer (&ca_error));
          return NULL;
        }
    }
  else if (!perform (&request, &probe, error))
    return NULL;
  if (!read_certificate (probe.certificate_pem, &link.fingerprint, &link.pin, error))
    return NULL;
  if (expected != NULL && !g_str_equal (expected, link.fingerprint))
    {
      g_autofree char *shown = format_fingerprint (link.fingerprint);
      g_autofree char *wanted = format_fingerprint (expected);

      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_FINGERPRINT,
                   _("The server at %s shows a certificate with fingerprint %s, not %s: another machine may be answering in its place, or the fingerprint was mistyped. Nothing was sent."),
                   link.url, shown, wanted);
      return NULL;
    }

  /* 2. Enrolment, with a key pair made here. */
  crypto_sign_keypair (public_key, link.secret_key);
  link.has_key = TRUE;
  sodium_bin2hex (public_hex, sizeof public_hex, public_key, sizeof public_key);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code != NULL ? code : "");
  json_builder_set_member_name (builder, "public_key");
  json_builder_add_string_value (builder, public_hex);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  body = g_bytes_new (text, strlen (text));

  request = (Request) { 0 };
  request.url = link.url;
  request.path = "/api/v1/join";
  request.method = "POST";
  request.cancellable = cancellable;
  request.pin = link.pin;
  request.body = body;
  if (!perform (&request, &enrolment, error) || (answer = parse_answer (&enrolment, error)) == NULL)
    return NULL;
  link.desk_id = g_strdup (json_object_get_string_member_with_default (answer, "desk_id", ""));
  link.desk_name = g_strdup (json_object_get_string_member_with_default (answer, "name", ""));
  uais = json_object_has_member (answer, "establishments") ? json_object_get_array_member (answer, "establishments") : NULL;
  {
    GString *joined = g_string_new (NULL);

    for (guint i = 0; uais != NULL && i < json_array_get_length (uais); i++)
      g_string_append_printf (joined, "%s%s", i > 0 ? " " : "", json_array_get_string_element (uais, i));
    establishments = g_string_free (joined, FALSE);
  }
  if (*link.desk_id == '\0')
    {
      g_set_error_literal (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("The server enrolled the desk without naming it."));
      return NULL;
    }
  if (!store_secret_key (&link, error))
    return NULL;

  /* 3. The snapshot, into a file beside the store, renamed once whole. */
  part = g_strconcat (store_path, ".part", NULL);
  file = g_fopen (part, "wbx");
  if (file == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write %s: %s"), part, g_strerror (saved));
      return NULL;
    }
  g_chmod (part, 0600);
  request = (Request) { 0 };
  request.url = link.url;
  request.path = "/api/v1/snapshot";
  request.method = "GET";
  request.pin = link.pin;
  request.signer = &link;
  request.file = file;
  request.timeout = 1800;
  request.cancellable = cancellable;
  ok = perform (&request, &snapshot, error);
  if (fclose (file) != 0 && ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), part, g_strerror (errno));
      ok = FALSE;
    }
  if (ok && snapshot.status != 200)
    {
      g_autofree char *content = NULL;

      g_file_get_contents (part, &content, NULL, NULL);
      g_clear_pointer (&snapshot.body, g_bytes_unref);
      snapshot.body = g_bytes_new (content != NULL ? content : "", content != NULL ? strlen (content) : 0);
      parse_answer (&snapshot, error);
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (part);
      g_prefix_error (error, _("The desk is enrolled but its copy of the store did not arrive: "));
      return NULL;
    }
  if (g_rename (part, store_path) != 0)
    {
      int saved = errno;

      g_unlink (part);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot put the desk's store at %s: %s"), store_path, g_strerror (saved));
      return NULL;
    }

  /* 4. The store learns where it came from: past this, joining is done
   * in a moment and is not cut in the middle. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_unlink (store_path);
      return NULL;
    }
  store = sesame_store_open (store_path, error);
  if (store == NULL)
    return NULL;
  if (!_sesame_store_begin (store, error))
    return NULL;
  stmt = _sesame_store_prepare (store,
                                "INSERT INTO sync_server (url, fingerprint, public_key_pin, desk_id, desk_name,"
                                " establishments, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, link.url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, link.fingerprint, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, link.pin, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, link.desk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, link.desk_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, establishments, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, sesame_store_now (store));
  if (!_sesame_store_step_done (store, stmt, error))
    goto failed;
  if (!_sesame_store_commit (store, error))
    return NULL;
  /* The snapshot says how far into the feed it is. */
  stmt = _sesame_store_prepare (store, "SELECT value FROM meta WHERE key = '" SESAME_SYNC_SNAPSHOT_HEAD_META "'", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    head = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!sesame_sync_desk_join (store, link.url, link.desk_name, head, error))
    return NULL;

  if (report != NULL)
    {
      report->desk = g_strdup (link.desk_name);
      report->fingerprint = format_fingerprint (link.fingerprint);
      report->snapshot_bytes = snapshot.bytes;
      report->seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
    }
  return g_steal_pointer (&store);

failed:
  _sesame_store_rollback (store);
  return NULL;
}

/**
 * sesame_sync_client_dup_server:
 * @store: a #SesameStore
 *
 * Reads the address of the sync server this desk is linked to.
 *
 * Returns: (transfer full) (nullable): the address of the server this
 *   desk joined, or %NULL for a standalone store
 */
char *
sesame_sync_client_dup_server (SesameStore *store)
{
  g_auto(Link) link = { 0 };

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!load_link (store, &link, FALSE, NULL))
    return NULL;
  return g_steal_pointer (&link.url);
}

/* A request signed with the desk's key, to the server it joined. */
static GBytes *
request_signed (SesameStore   *store,
                const char    *method,
                const char    *path,
                GBytes        *body,
                GCancellable  *cancellable,
                guint         *status,
                GError       **error)
{
  g_auto(Link) link = { 0 };
  g_auto(Response) response = { 0 };
  Request request = { 0 };

  if (!load_link (store, &link, TRUE, error))
    return NULL;
  request.url = link.url;
  request.path = path;
  request.method = method;
  request.pin = link.pin;
  request.signer = &link;
  request.body = body;
  request.cancellable = cancellable;
  if (!perform (&request, &response, error))
    return NULL;
  *status = response.status;
  return g_steal_pointer (&response.body);
}

/**
 * sesame_sync_client_request:
 * @store: a desk's #SesameStore
 * @method: "GET" or "POST"
 * @path: the path and query, from "/api/v1/…"
 * @body: (nullable): the JSON body of a POST
 * @status: (out): the HTTP status of the answer
 * @error: return location for a #GError
 *
 * Sends a request signed with the desk's key to the server it joined,
 * checking the pinned certificate.
 *
 * Returns: (transfer full): the body of the answer, or %NULL with @error
 *   set (%SESAME_SYNC_CLIENT_ERROR_UNREACHABLE when the server does not
 *   answer)
 */
GBytes *
sesame_sync_client_request (SesameStore  *store,
                            const char   *method,
                            const char   *path,
                            GBytes       *body,
                            guint        *status,
                            GError      **error)
{
  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (status != NULL, NULL);

  return request_signed (store, method, path, body, NULL, status, error);
}

static JsonObject *
call_json (SesameStore   *store,
           const char    *method,
           const char    *path,
           JsonNode      *node,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Response) response = { 0 };

  if (node != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      char *text;

      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
      body = g_bytes_new_take (text, strlen (text));
    }
  response.body = request_signed (store, method, path, body, cancellable, &response.status, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (response.body == NULL)
    {
      record_attempt (store, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  record_attempt (store, NULL);
  return parse_answer (&response, error);
}

/* The establishment's key the server sent, sealed to this desk: opened
 * with the desk's own key and kept in the keyring for offline sign-ins.
 * A sign-in goes on without it; the desk then says why it shows no
 * first password. */
static void
receive_seal_key (SesameStore *store,
                  const char  *sealed_key)
{
  g_auto(Link) link = { 0 };
  g_autoptr(GError) error = NULL;

  if (sealed_key == NULL)
    {
      g_message ("The server sent no key of the first passwords");
      return;
    }
  if (!load_link (store, &link, TRUE, &error) ||
      !_sesame_seal_receive_key (store, link.secret_key, sealed_key, &error))
    g_message ("The key of the first passwords is not kept: %s", error->message);
}

/**
 * sesame_sync_client_sign_in:
 * @store: a desk's #SesameStore
 * @login: the operator's login
 * @passphrase: their passphrase
 * @offline: (out) (optional): set to %TRUE when the server did not answer
 *   and the desk's own verifier decided
 * @error: return location for a #GError
 *
 * Signs an operator in on a desk: against the server when it answers,
 * which keeps a verifier of the passphrase on the desk and a ticket for
 * the operator's changes, and gives the establishment's key that unseals
 * first passwords, kept in the keyring; against that verifier when it
 * does not, the key then read from the keyring when needed. On a
 * store that joined no server this is sesame_operators_sign_in().
 *
 * Returns: %TRUE if signed in, or %FALSE with a
 *   %SESAME_ERROR_PERMISSION_DENIED error
 */
gboolean
sesame_sync_client_sign_in (SesameStore  *store,
                            const char   *login,
                            const char   *passphrase,
                            gboolean     *offline,
                            GError      **error)
{
  return sesame_sync_client_sign_in_full (store, login, passphrase, NULL, offline, error);
}

/**
 * sesame_sync_client_sign_in_full:
 * @store: a desk's #SesameStore
 * @login: the operator's login
 * @passphrase: their passphrase
 * @cancellable: (nullable): gives the sign-in up
 * @offline: (out) (optional): set to %TRUE when the server did not answer
 *   and the desk's own verifier decided
 * @error: return location for a #GError
 *
 * sesame_sync_client_sign_in() that can be given up: cancelled while the
 * server has not answered, the request stops; cancelled at any point
 * before the passphrase is found right, the desk keeps nothing of the
 * server's answer, nobody signs in and no sign-in is recorded on the desk
 * (the server may have recorded the check it made).
 *
 * Returns: %TRUE if signed in, or %FALSE with a
 *   %SESAME_ERROR_PERMISSION_DENIED or %G_IO_ERROR_CANCELLED error
 */
gboolean
sesame_sync_client_sign_in_full (SesameStore   *store,
                                 const char    *login,
                                 const char    *passphrase,
                                 GCancellable  *cancellable,
                                 gboolean      *offline,
                                 GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *hash = NULL;
  g_auto(SesameOperatorRow) row = { 0 };
  g_autoptr(SesameStore) writer = NULL;
  const char *ticket;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  if (offline != NULL)
    *offline = FALSE;
  server = sesame_sync_client_dup_server (store);
  if (server == NULL)
    return _sesame_operators_sign_in_cancellable (store, login, passphrase, cancellable, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "passphrase");
  json_builder_add_string_value (builder, passphrase);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  answer = call_json (store, "POST", "/api/v1/sign-in", root, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
        {
          g_debug ("Signing in offline: %s", local_error->message);
          if (offline != NULL)
            *offline = TRUE;
          return _sesame_operators_sign_in_cancellable (store, login, passphrase, cancellable, error);
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED, local_error->message);
      return FALSE;
    }

  /* The server said yes: this desk keeps a verifier of its own (never the
   * server's hash) and the ticket, then signs in against the verifier. A
   * store opened to read only gets a connection that writes. Given up
   * meanwhile, it keeps nothing. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  ticket = json_object_get_string_member_with_default (answer, "ticket", NULL);
  writer = sesame_store_is_read_only (store) ? sesame_store_open (sesame_store_get_path (store), error)
                                             : g_object_ref (store);
  if (writer == NULL || !_sesame_store_begin (writer, error))
    return FALSE;
  if (!_sesame_operators_load_row (writer, login, &row, error))
    goto failed;
  if (row.key == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("%s signed in on the server, but this desk does not serve their establishment."), login);
      goto failed;
    }
  hash = _sesame_operators_hash_passphrase (passphrase, error);
  if (hash == NULL || !_sesame_operators_insert_passphrase (writer, row.key, hash, "server", error))
    goto failed;
  if (ticket != NULL)
    {
      stmt = _sesame_store_prepare (writer, "INSERT OR REPLACE INTO sync_tickets (login, ticket, expires_at) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, row.login, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, ticket, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, json_object_get_int_member_with_default (answer, "expires_at", 0));
      if (!_sesame_store_step_done (writer, stmt, error))
        goto failed;
    }
  if (!_sesame_store_commit (writer, error))
    return FALSE;
  receive_seal_key (store, json_object_get_string_member_with_default (answer, "seal_key", NULL));
  return _sesame_operators_sign_in_cancellable (store, login, passphrase, cancellable, error);

failed:
  _sesame_store_rollback (writer);
  return FALSE;
}

static SesameSyncEntry *
entry_from_json (JsonObject *object)
{
  const char *encoded = json_object_get_string_member_with_default (object, "changeset", "");
  g_autofree guint8 *data = NULL;
  gsize length = 0;
  g_autoptr(GBytes) changeset = NULL;
  SesameSyncEntry *entry;

  data = g_base64_decode (encoded, &length);
  changeset = g_bytes_new_take (g_steal_pointer (&data), length);
  entry = sesame_sync_entry_new (json_object_get_string_member_with_default (object, "id", ""),
                                 json_object_get_string_member_with_default (object, "operator", ""),
                                 json_object_get_string_member_with_default (object, "action", ""),
                                 json_object_get_int_member_with_default (object, "desk_time", 0),
                                 json_object_get_int_member_with_default (object, "base_seq", 0),
                                 changeset);
  entry->desk = g_strdup (json_object_get_string_member_with_default (object, "desk", ""));
  entry->server_time = json_object_get_int_member_with_default (object, "server_time", 0);
  entry->seq = json_object_get_int_member_with_default (object, "seq", 0);
  g_free (entry->scope);
  entry->scope = g_strdup (json_object_get_string_member_with_default (object, "scope", ""));
  return entry;
}

static gboolean
pull (SesameStore            *store,
      SesameSyncRoundReport  *report,
      GError                **error)
{
  for (guint page = 0; page < 100000; page++)
    {
      g_auto(SesameSyncStatus) status = { 0 };
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GPtrArray) feed = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_sync_entry_free);
      g_autofree char *path = NULL;
      JsonArray *entries;

      if (!sesame_sync_desk_get_status (store, &status, error))
        return FALSE;
      path = g_strdup_printf ("/api/v1/feed?since=%" G_GINT64_FORMAT "&limit=%u", status.cursor, FEED_PAGE);
      answer = call_json (store, "GET", path, NULL, NULL, error);
      if (answer == NULL)
        return FALSE;
      entries = json_object_get_array_member (answer, "entries");
      for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
        g_ptr_array_add (feed, entry_from_json (json_array_get_object_element (entries, i)));
      if (!sesame_sync_desk_apply_feed (store, feed, error))
        return FALSE;
      report->pulled += feed->len;
      if (feed->len < FEED_PAGE)
        return TRUE;
    }
  return TRUE;
}

static void
add_entry_members (JsonBuilder           *builder,
                   const SesameSyncEntry *entry)
{
  gsize length = 0;
  gconstpointer data = g_bytes_get_data (entry->changeset, &length);
  g_autofree char *encoded = g_base64_encode (data, length);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, entry->id);
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, entry->operator);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, entry->action != NULL ? entry->action : "");
  json_builder_set_member_name (builder, "desk_time");
  json_builder_add_int_value (builder, entry->desk_time);
  json_builder_set_member_name (builder, "base_seq");
  json_builder_add_int_value (builder, entry->base_seq);
  json_builder_set_member_name (builder, "changeset");
  json_builder_add_string_value (builder, encoded);
  json_builder_end_object (builder);
}

/* Pushes what is pending; TRUE with *stale set when some must wait for
 * the next pull. */
static gboolean
push (SesameStore            *store,
      SesameSyncRoundReport  *report,
      guint                  *stale,
      GError                **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GHashTable) logins = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(SesameSyncStatus) status = { 0 };
  JsonArray *results;
  sqlite3_stmt *stmt;

  *stale = 0;
  pending = sesame_sync_desk_list_pending (store, error);
  if (pending == NULL)
    return FALSE;
  if (pending->len == 0)
    return TRUE;
  if (!sesame_sync_desk_get_status (store, &status, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base");
  json_builder_add_int_value (builder, status.cursor);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < pending->len; i++)
    {
      const SesameSyncEntry *entry = g_ptr_array_index (pending, i);

      add_entry_members (builder, entry);
      g_hash_table_add (logins, entry->operator);
    }
  json_builder_end_array (builder);
  /* The tickets of the operators whose changes these are. */
  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_object (builder);
  stmt = _sesame_store_prepare (store, "SELECT login, ticket FROM sync_tickets", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (g_hash_table_contains (logins, sqlite3_column_text (stmt, 0)))
      {
        json_builder_set_member_name (builder, (const char *) sqlite3_column_text (stmt, 0));
        json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      }
  sqlite3_reset (stmt);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  answer = call_json (store, "POST", "/api/v1/push", root, NULL, error);
  if (answer == NULL)
    return FALSE;
  results = json_object_get_array_member (answer, "results");
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member_with_default (result, "id", "");
      const char *verdict = json_object_get_string_member_with_default (result, "verdict", "");
      const char *reason = json_object_get_string_member_with_default (result, "reason", NULL);
      gint64 seq = json_object_get_int_member_with_default (result, "seq", 0);
      SesameSyncVerdict value;

      if (g_str_equal (verdict, "accepted"))
        value = SESAME_SYNC_VERDICT_ACCEPTED, report->accepted++;
      else if (g_str_equal (verdict, "stale"))
        value = SESAME_SYNC_VERDICT_STALE, (*stale)++;
      else
        {
          SesameSyncRefusal *refused = g_new0 (SesameSyncRefusal, 1);

          value = SESAME_SYNC_VERDICT_REJECTED;
          refused->entry_id = g_strdup (id);
          refused->reason = g_strdup (reason != NULL ? reason : "");
          for (guint j = 0; j < pending->len; j++)
            {
              const SesameSyncEntry *entry = g_ptr_array_index (pending, j);

              if (g_str_equal (entry->id, id))
                {
                  refused->operator = g_strdup (entry->operator);
                  refused->action = g_strdup (entry->action);
                  refused->desk_time = entry->desk_time;
                }
            }
          g_ptr_array_add (report->refused, refused);
        }
      if (!sesame_sync_desk_record_verdict (store, id, value, seq, reason, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sesame_sync_client_run_round:
 * @store: a desk's #SesameStore
 * @report: (out caller-allocates): what the round did
 * @error: return location for a #GError
 *
 * Runs one sync round with the server: pulls its feed before pushing the
 * desk's pending changes, and again while the server calls some of them
 * stale (a few times at most). Changes the server refused are listed in
 * @report and kept as conflicts.
 *
 * Returns: %TRUE if the round went through (even with refusals), or %FALSE
 *   with @error set (%SESAME_SYNC_CLIENT_ERROR_UNREACHABLE when the server
 *   does not answer)
 */
gboolean
sesame_sync_client_run_round (SesameStore            *store,
                              SesameSyncRoundReport  *report,
                              GError                **error)
{
  g_auto(Link) link = { 0 };

  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->refused = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_sync_refusal_free);
  if (!load_link (store, &link, TRUE, error))
    return FALSE;
  /* Reachable, and this desk still enrolled: said plainly before anything. */
  {
    g_autoptr(JsonObject) desk = call_json (store, "GET", "/api/v1/desk", NULL, NULL, error);

    if (desk == NULL)
      return FALSE;
  }
  for (guint attempt = 0; attempt <= STALE_RETRIES; attempt++)
    {
      guint stale = 0;

      if (!pull (store, report, error) || !push (store, report, &stale, error))
        return FALSE;
      report->stale = stale;
      if (stale == 0)
        break;
    }
  /* What was accepted comes back in the feed: then it leaves the outbox. */
  return report->accepted == 0 || pull (store, report, error);
}
