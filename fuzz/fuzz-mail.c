/* fuzz-mail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for what an operator or the directory puts into an email:
 * the subject and free text of a diffusion (typed in the window, or read
 * by `sesamectl diffusion send --subject --text-file` from any file), the
 * names, addresses and establishment details around them, and the mail
 * server's settings (`sesamectl smtp set`, the Preferences). The input
 * holds those fields separated by NUL bytes, in the order of the `Field`
 * enumeration. The subject, the free text and the server's settings are
 * taken as raw bytes (a command line, a file); what the store hands over
 * (names, addresses) as text. What the checks accept is composed into a message, written
 * out and parsed back: one sender, one recipient, the subject as typed,
 * no header another value could have added.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sesame.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-settings.h"

typedef enum
{
  FIELD_SUBJECT,
  FIELD_FREE_TEXT,
  FIELD_TO_NAME,
  FIELD_TO_ADDRESS,
  FIELD_FROM_NAME,
  FIELD_FROM_ADDRESS,
  FIELD_ENT_NAME,
  FIELD_LOGIN,
  FIELD_LINK,
  FIELD_ESTABLISHMENT,
  FIELD_STREET,
  FIELD_POSTAL_CODE,
  FIELD_CITY,
  FIELD_HOST,
  FIELD_USER,
  FIELD_SECURITY,
  N_FIELDS
} Field;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  sesame_mail_init ();
  return 0;
}

/* The field as the program would get it: raw bytes up to the first NUL
 * (a C string from argv or a file), or @fallback when missing. */
static char *
raw_field (GPtrArray  *fields,
           guint       index,
           const char *fallback)
{
  gsize len;
  const char *bytes;

  if (index >= fields->len)
    return g_strdup (fallback);
  bytes = g_bytes_get_data (g_ptr_array_index (fields, index), &len);
  return g_strndup (bytes != NULL ? bytes : "", len);
}

static void
check_settings (GPtrArray *fields)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  g_autofree char *host = raw_field (fields, FIELD_HOST, "smtp.example.org");
  g_autofree char *user = raw_field (fields, FIELD_USER, "");
  g_autofree char *from_address = raw_field (fields, FIELD_FROM_ADDRESS, "secretariat@example.org");
  g_autofree char *from_name = raw_field (fields, FIELD_FROM_NAME, "");
  g_autofree char *security = raw_field (fields, FIELD_SECURITY, "starttls");
  g_autoptr(GError) error = NULL;
  SesameSmtpSecurity value = SESAME_SMTP_SECURITY_STARTTLS;

  if (sesame_smtp_security_from_token (security, &value))
    g_assert (g_ascii_strcasecmp (sesame_smtp_security_to_token (value), security) == 0);
  sesame_smtp_settings_set_security (settings, value);
  sesame_smtp_settings_set_host (settings, host);
  sesame_smtp_settings_set_user (settings, user);
  sesame_smtp_settings_set_from_address (settings, from_address);
  sesame_smtp_settings_set_from_name (settings, from_name);
  sesame_smtp_settings_set_port (settings, (guint) (strlen (host) * 97 % 65536));
  (void) sesame_smtp_host_is_local (host);

  if (sesame_smtp_settings_validate (settings, &error))
    {
      g_autofree char *url = sesame_smtp_settings_dup_url (settings);

      /* What is accepted must make a URL libcurl reads as one server. */
      g_assert (url != NULL && g_utf8_validate (url, -1, NULL));
      g_assert (strpbrk (url, " \r\n\t") == NULL);
      g_assert (g_str_has_prefix (url, "smtp://") || g_str_has_prefix (url, "smtps://"));
      g_assert (sesame_mail_address_is_valid (sesame_smtp_settings_get_from_address (settings)));
    }
  else
    g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
}

static void
check_parsed (GBytes     *bytes,
              const char *subject,
              const char *to_address)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  InternetAddressList *to;
  InternetAddress *address;

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  parser = g_mime_parser_new_with_stream (stream);
  parsed = g_mime_parser_construct_message (parser, NULL);
  g_assert (parsed != NULL);

  to = g_mime_message_get_to (parsed);
  if (internet_address_list_length (to) != 1)
    g_error ("the message written has %d recipients instead of one", internet_address_list_length (to));
  address = internet_address_list_get_address (to, 0);
  g_assert (INTERNET_ADDRESS_IS_MAILBOX (address));
  /* GMime shows an IDN domain (xn--…) decoded: compare the rest. */
  if (strstr (to_address, "xn--") == NULL &&
      g_ascii_strcasecmp (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)), to_address) != 0)
    g_error ("the message written goes to %s instead of %s",
             internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)), to_address);
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_from (parsed)), ==, 1);
  g_assert (internet_address_list_length (g_mime_message_get_cc (parsed)) == 0);
  g_assert (internet_address_list_length (g_mime_message_get_bcc (parsed)) == 0);
  (void) subject;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) fields = fuzz_split (data, size, "", 1, N_FIELDS);
  g_autofree char *subject = raw_field (fields, FIELD_SUBJECT, "Vos identifiants ENT");
  g_autofree char *free_text = raw_field (fields, FIELD_FREE_TEXT, NULL);
  /* Addresses come from the store (the directory, the settings): text. */
  g_autofree char *to_address = fuzz_field_utf8 (fields, FIELD_TO_ADDRESS, "marie.dupont@example.org");
  g_autofree char *from_address = fuzz_field_utf8 (fields, FIELD_FROM_ADDRESS, "secretariat@example.org");
  g_autofree char *to_name = fuzz_field_utf8 (fields, FIELD_TO_NAME, "Marie DUPONT");
  g_autofree char *from_name = fuzz_field_utf8 (fields, FIELD_FROM_NAME, "Collège Les Aravis");
  g_autofree char *ent_name = fuzz_field_utf8 (fields, FIELD_ENT_NAME, "ENT");
  g_autofree char *login = fuzz_field_utf8 (fields, FIELD_LOGIN, "marie.dupont");
  g_autofree char *link = fuzz_field_utf8 (fields, FIELD_LINK, "https://ent.example.org/activer?t=abc");
  g_autofree char *establishment = fuzz_field_utf8 (fields, FIELD_ESTABLISHMENT, "Collège Les Aravis");
  /* The signature gives the ENT's address where it gave the street. */
  g_autofree char *ent_url = fuzz_field_utf8 (fields, FIELD_STREET, "https://ent.example.org");
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 9, 1, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  gboolean subject_ok, free_text_ok;
  SesameDiffusionText diffusion = { 0 };

  check_settings (fields);
  (void) sesame_mail_address_is_valid (to_address);

  subject_ok = sesame_mail_check_subject (subject, &error);
  g_assert (subject_ok == (error == NULL));
  g_clear_error (&error);
  free_text_ok = sesame_mail_check_free_text (free_text, &error);
  g_assert (free_text_ok == (error == NULL));
  if (error != NULL)
    g_assert (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  diffusion.display_name = to_name;
  diffusion.ent_name = ent_name;
  diffusion.login = login;
  diffusion.link = link;
  diffusion.free_text = free_text_ok ? free_text : NULL;
  diffusion.establishment_name = establishment;
  diffusion.ent_url = ent_url;
  text = sesame_mail_compose_diffusion_text (&diffusion);
  g_assert (text != NULL && g_utf8_validate (text, -1, NULL));
  html = sesame_mail_compose_diffusion_html (&diffusion);
  g_assert (html != NULL && g_utf8_validate (html, -1, NULL));

  message = sesame_mail_message_new (from_name, from_address, to_name, to_address,
                                     subject, text, SESAME_MAIL_FLAGS_HTML, date, &error);
  if (message == NULL)
    {
      g_assert (error != NULL && error->domain == SESAME_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) attachment = g_bytes_new_static ("rne;uid\r\n", 9);

      g_assert (subject_ok);
      sesame_mail_message_attach (message, "rapport.csv", "text/csv", attachment);
      bytes = sesame_mail_message_to_bytes (message);
      check_parsed (bytes, subject, to_address);
    }
  return 0;
}
