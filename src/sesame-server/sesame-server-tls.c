/* sesame-server-tls.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's certificate. A school rarely has one a public authority
 * signed for a machine in its office, so without --tls-certificate the
 * server makes its own on first start, beside the store, and prints its
 * SHA-256 fingerprint: desks pin it when they join, which protects them as
 * well as an authority would. GnuTLS's X.509 API makes it (glib-networking
 * already links GnuTLS); GIO's TLS serves it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "sesame-server-tls.h"

/* Ten years: the fingerprint desks pinned must not change under them. */
#define CERTIFICATE_DAYS 3650

static gboolean
gnutls_failed (int          rc,
               const char  *what,
               GError     **error)
{
  if (rc >= 0)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Cannot make the server's certificate (%s): %s"), what, gnutls_strerror (rc));
  return TRUE;
}

static gboolean
write_private (const char     *path,
               const char     *contents,
               gsize           length,
               int             mode,
               GError        **error)
{
  if (!g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, mode, error))
    return FALSE;
  return TRUE;
}

/* A self-signed ECDSA P-256 certificate for the machine's name. */
static gboolean
make_certificate (const char  *certificate_path,
                  const char  *key_path,
                  GError     **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t crt_pem = { NULL, 0 };
  guint8 serial[16];
  const char *host = g_get_host_name ();
  g_autofree char *dn = NULL;
  time_t now = time (NULL);
  gboolean ok = FALSE;

  dn = g_strdup_printf ("CN=%s,O=Sésame", host);
  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] &= 0x7f;
  if (gnutls_failed (gnutls_x509_privkey_init (&key), "key", error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     "key", error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), "certificate", error) ||
      gnutls_failed (gnutls_x509_crt_set_version (crt, 3), "version", error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 3600), "dates", error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, now + (time_t) CERTIFICATE_DAYS * 24 * 3600), "dates", error) ||
      gnutls_failed (gnutls_x509_crt_set_dn (crt, dn, NULL), "name", error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, host, strlen (host),
                                                           GNUTLS_FSAN_SET), "name", error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", strlen ("localhost"),
                                                           GNUTLS_FSAN_APPEND), "name", error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), "key", error) ||
      gnutls_failed (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "constraints", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "usage", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "usage", error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature", error) ||
      gnutls_failed (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem), "key", error) ||
      gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), "certificate", error))
    goto out;

  /* The key first: a certificate without its key is of no use. */
  ok = write_private (key_path, (const char *) key_pem.data, key_pem.size, 0600, error) &&
       write_private (certificate_path, (const char *) crt_pem.data, crt_pem.size, 0644, error);
  if (!ok)
    g_unlink (key_path);

out:
  if (key_pem.data != NULL)
    {
      memset (key_pem.data, 0, key_pem.size);
      gnutls_free (key_pem.data);
    }
  gnutls_free (crt_pem.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

/**
 * sesame_server_tls_load:
 * @store_path: the server's store
 * @certificate_path: (nullable): the certificate given, PEM
 * @key_path: (nullable): its private key, PEM
 * @created: (out) (optional): set to %TRUE when a certificate was made now
 * @error: return location for a #GError
 *
 * Loads the certificate given, or the server's own beside the store
 * (STORE.crt and STORE.key), made on first start.
 *
 * Returns: (transfer full): the certificate with its key, or %NULL with
 *   @error set
 */
GTlsCertificate *
sesame_server_tls_load (const char  *store_path,
                        const char  *certificate_path,
                        const char  *key_path,
                        gboolean    *created,
                        GError     **error)
{
  g_autofree char *own_certificate = NULL;
  g_autofree char *own_key = NULL;
  GTlsCertificate *certificate;

  if (created != NULL)
    *created = FALSE;
  if ((certificate_path == NULL) != (key_path == NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--tls-certificate and --tls-key go together: give both, or neither for the server's own certificate."));
      return NULL;
    }
  if (certificate_path == NULL)
    {
      own_certificate = g_strconcat (store_path, ".crt", NULL);
      own_key = g_strconcat (store_path, ".key", NULL);
      if (!g_file_test (own_certificate, G_FILE_TEST_EXISTS) || !g_file_test (own_key, G_FILE_TEST_EXISTS))
        {
          if (!make_certificate (own_certificate, own_key, error))
            return NULL;
          if (created != NULL)
            *created = TRUE;
        }
      certificate_path = own_certificate;
      key_path = own_key;
    }
  certificate = g_tls_certificate_new_from_files (certificate_path, key_path, error);
  if (certificate == NULL)
    g_prefix_error (error, _("Cannot use the certificate %s with the key %s: "), certificate_path, key_path);
  return certificate;
}

/**
 * sesame_server_tls_fingerprint:
 * @certificate: a #GTlsCertificate
 *
 * Returns: (transfer full): its SHA-256 fingerprint, pairs of upper-case
 *   hexadecimal digits separated by colons, as desks take it
 */
char *
sesame_server_tls_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *out = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; hex[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
      g_string_append_c (out, g_ascii_toupper (hex[i + 1]));
    }
  return g_string_free (out, FALSE);
}
