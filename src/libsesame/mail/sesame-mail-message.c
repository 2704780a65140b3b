/* sesame-mail-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Messages are composed with GMime, never by hand: headers are encoded for
 * UTF-8 so that accents survive in every mail client, and nothing the
 * operator types can add a header.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-mail"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-document-language-private.h"
#include "sesame-error.h"
#include "sesame-mail-message.h"

/**
 * sesame_mail_init:
 *
 * Starts GMime once for the whole process; every function of this module
 * calls it.
 */
void
sesame_mail_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_mime_init ();
      g_once_init_leave (&initialised, 1);
    }
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/**
 * sesame_mail_address_is_valid:
 * @address: (nullable): an email address
 *
 * Accepts the plain addresses a directory holds, `local@domain.tld`, and
 * nothing that could carry a second address, a name or a line break into
 * an SMTP command or a header.
 *
 * Returns: whether @address can be written to
 */
gboolean
sesame_mail_address_is_valid (const char *address)
{
  const char *at;
  gsize local_len;
  gboolean dot = FALSE;

  if (address == NULL || strlen (address) > 254)
    return FALSE;
  at = strchr (address, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;

  local_len = at - address;
  if (local_len == 0 || local_len > 64 || address[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *p = address; p < at; p++)
    if (!(is_atext (*p) || (*p == '.' && p[1] != '.')))
      return FALSE;

  /* The domain: labels of letters, digits and inner hyphens. */
  for (const char *label = at + 1; ; )
    {
      const char *end = label;

      while (g_ascii_isalnum (*end) || *end == '-')
        end++;
      if (end == label || end - label > 63 || *label == '-' || end[-1] == '-')
        return FALSE;
      if (*end == '\0')
        break;
      if (*end != '.')
        return FALSE;
      dot = TRUE;
      label = end + 1;
    }
  return dot;
}

static gboolean
is_forbidden_in_line (gunichar c)
{
  /* C0 and C1 controls, DEL, and the Unicode line and paragraph separators
   * that some clients break lines on. */
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029;
}

/**
 * sesame_mail_check_subject:
 * @subject: (nullable): the subject the operator typed
 * @error: return location for a #GError
 *
 * A subject is required, at most 75 characters, on one line: a line break
 * or a control character is refused, never passed into a header.
 *
 * The error is %SESAME_ERROR_INVALID, with a message saying what to change.
 *
 * Returns: %TRUE if @subject may be sent
 */
gboolean
sesame_mail_check_subject (const char  *subject,
                           GError     **error)
{
  g_autofree char *stripped = NULL;

  if (subject == NULL || !g_utf8_validate (subject, -1, NULL))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The subject is not valid text."));
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (subject));
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The subject is required."));
      return FALSE;
    }
  for (const char *p = subject; *p != '\0'; p = g_utf8_next_char (p))
    if (is_forbidden_in_line (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                             _("The subject must fit on one line: remove the line break or the control character it contains."));
        return FALSE;
      }
  if (g_utf8_strlen (subject, -1) > SESAME_MAIL_SUBJECT_MAX_CHARS)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The subject is %ld characters long: it may have %d character at most.",
                                "The subject is %ld characters long: it may have %d characters at most.",
                                SESAME_MAIL_SUBJECT_MAX_CHARS),
                   g_utf8_strlen (subject, -1), SESAME_MAIL_SUBJECT_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_mail_check_free_text:
 * @text: (nullable): the operator's free text
 * @error: return location for a #GError
 *
 * The free text is optional, at most 600 characters; line breaks are
 * welcome, other control characters are refused.
 *
 * The error is %SESAME_ERROR_INVALID, with a message saying what to change.
 *
 * Returns: %TRUE if @text may be sent
 */
gboolean
sesame_mail_check_free_text (const char  *text,
                             GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The free text is not valid text (UTF-8)."));
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && c != '\r' && c != '\t' && is_forbidden_in_line (c))
        {
          g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                               _("The free text contains a control character: remove it."));
          return FALSE;
        }
    }
  if (g_utf8_strlen (text, -1) > SESAME_MAIL_FREE_TEXT_MAX_CHARS)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The free text is %ld characters long: it may have %d character at most.",
                                "The free text is %ld characters long: it may have %d characters at most.",
                                SESAME_MAIL_FREE_TEXT_MAX_CHARS),
                   g_utf8_strlen (text, -1), SESAME_MAIL_FREE_TEXT_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

static void
append_paragraph (GString    *body,
                  const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      g_string_append (body, lines[i]);
      g_string_append_c (body, '\n');
    }
  g_string_append_c (body, '\n');
}

static char *
normalise_free_text (const char *free_text)
{
  g_autoptr(GString) normalised = NULL;

  if (free_text == NULL)
    return NULL;
  normalised = g_string_new (free_text);
  g_string_replace (normalised, "\r\n", "\n", 0);
  g_string_replace (normalised, "\r", "\n", 0);
  g_string_replace (normalised, "\t", " ", 0);
  g_strstrip (normalised->str);
  if (normalised->str[0] == '\0')
    return NULL;
  return g_strdup (normalised->str);
}

static char *
dup_introduction (const SesameDiffusionText *text)
{
  if (text->ent_name != NULL && text->ent_name[0] != '\0')
    /* TRANSLATORS: %s is the ENT's name. French: « Veuillez trouver
     * ci-dessous l'identifiant pour vous connecter à votre ENT %s : » */
    return g_strdup_printf (_("Please find below the login to sign in to your ENT %s:"), text->ent_name);
  /* TRANSLATORS: French: « Veuillez trouver ci-dessous l'identifiant pour
   * vous connecter à votre ENT : » */
  return g_strdup (_("Please find below the login to sign in to your ENT:"));
}

static const char *
link_explanation (void)
{
  /* TRANSLATORS: follows the link of the identifiers email; the link opens
   * the ENT page where the person chooses a password. French: « (ce lien
   * vous dirige vers la page de votre ENT où vous choisirez votre mot de
   * passe) » */
  return _("(this link takes you to the page of your ENT where you will choose your password)");
}

/**
 * sesame_mail_compose_diffusion_text:
 * @text: what fills the body
 *
 * Writes the fixed body of the vendor manual around the operator's free
 * text: greeting, login, the link to set the password within 60 days and
 * where it leads, whom to contact, and the signature (the establishment's
 * name and its ENT address). It never holds a password.
 *
 * Returns: (transfer full): the text, lines ending with "\n"
 */
char *
sesame_mail_compose_diffusion_text (const SesameDiffusionText *text)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *line = NULL;
  g_autofree char *free_text = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (text->login != NULL && text->link != NULL, NULL);

  /* TRANSLATORS: the greeting of the identifiers email; %s is the
   * recipient's name. French: « Bonjour %s, » */
  line = g_strdup_printf (_("Hello %s,"), text->display_name ? text->display_name : "");
  append_paragraph (body, line);
  g_clear_pointer (&line, g_free);

  line = dup_introduction (text);
  append_paragraph (body, line);
  g_clear_pointer (&line, g_free);

  /* TRANSLATORS: %s is the login. French: « Identifiant ENT : %s » */
  line = g_strdup_printf (_("ENT login: %s"), text->login);
  append_paragraph (body, line);
  g_clear_pointer (&line, g_free);

  /* The plain text keeps the address itself: not every client makes
   * links, and the person may have to type it. */
  /* TRANSLATORS: followed by the link on the next line. French: « À
   * réception de ce message, vous disposez de %d jours pour initialiser
   * votre mot de passe : » */
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "When you receive this message, you have %d day to set your password:",
                                       "When you receive this message, you have %d days to set your password:",
                                       SESAME_ACTIVATION_DAYS),
                          SESAME_ACTIVATION_DAYS);
  g_string_append (body, line);
  g_string_append_c (body, '\n');
  g_string_append (body, text->link);
  g_string_append_c (body, '\n');
  append_paragraph (body, link_explanation ());
  g_clear_pointer (&line, g_free);

  free_text = normalise_free_text (text->free_text);
  if (free_text != NULL)
    append_paragraph (body, free_text);

  /* TRANSLATORS: French: « Si vous rencontrez des difficultés pour vous
   * connecter, contactez votre administrateur auprès de votre
   * établissement. » */
  append_paragraph (body, _("If you have trouble signing in, contact your administrator at your establishment."));
  /* TRANSLATORS: the closing of the identifiers email. French: « Cordialement, » */
  append_paragraph (body, _("Kind regards,"));

  if (text->establishment_name != NULL && text->establishment_name[0] != '\0')
    {
      g_string_append (body, text->establishment_name);
      g_string_append_c (body, '\n');
    }
  if (text->ent_url != NULL && text->ent_url[0] != '\0')
    {
      g_string_append (body, text->ent_url);
      g_string_append_c (body, '\n');
    }

  while (body->len > 1 && body->str[body->len - 1] == '\n' && body->str[body->len - 2] == '\n')
    g_string_truncate (body, body->len - 1);

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static void append_linked (GString    *html,
                           const char *line);

static void
append_html_paragraph (GString    *html,
                       const char *text,
                       gboolean    linked)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_string_append (html, "<p>");
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (html, "<br>\n");
      g_strchomp (lines[i]);
      if (linked)
        append_linked (html, lines[i]);
      else
        {
          g_autofree char *escaped = g_markup_escape_text (lines[i], -1);
          g_string_append (html, escaped);
        }
    }
  g_string_append (html, "</p>\n");
}

/**
 * sesame_mail_compose_diffusion_html:
 * @text: what fills the body
 *
 * The HTML alternative of sesame_mail_compose_diffusion_text(), sentence
 * for sentence, except that the link sits on the words "set your password"
 * as in the vendor manual instead of showing the address with its token.
 *
 * Returns: (transfer full): an HTML document
 */
char *
sesame_mail_compose_diffusion_html (const SesameDiffusionText *text)
{
  g_autoptr(GString) html = g_string_new ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body>\n");
  g_autofree char *line = NULL;
  g_autofree char *free_text = NULL;
  g_autofree char *escaped_link = NULL;
  g_autofree char *escaped_words = NULL;
  g_autofree char *escaped_explanation = NULL;
  g_autofree char *anchor = NULL;
  g_autoptr(GString) signature = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (text->login != NULL && text->link != NULL, NULL);

  line = g_strdup_printf (_("Hello %s,"), text->display_name ? text->display_name : "");
  append_html_paragraph (html, line, FALSE);
  g_clear_pointer (&line, g_free);

  line = dup_introduction (text);
  append_html_paragraph (html, line, FALSE);
  g_clear_pointer (&line, g_free);

  line = g_strdup_printf (_("ENT login: %s"), text->login);
  append_html_paragraph (html, line, FALSE);
  g_clear_pointer (&line, g_free);

  escaped_link = g_markup_escape_text (text->link, -1);
  /* TRANSLATORS: the words of the identifiers email that carry the link,
   * in the sentence “you have %d days to %s”. French: « initialiser votre
   * mot de passe » */
  escaped_words = g_markup_escape_text (_("set your password"), -1);
  escaped_explanation = g_markup_escape_text (link_explanation (), -1);
  anchor = g_strdup_printf ("<a href=\"%s\">%s</a>", escaped_link, escaped_words);
  {
    /* The sentence is split around %s so that only its parts are escaped,
     * never the anchor. */
    /* TRANSLATORS: %d is a number of days, %s the words “set your
     * password” made into the link. French: « À réception de ce message,
     * vous disposez de %d jours pour %s » */
    g_autofree char *sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "When you receive this message, you have %d day to %s",
                                                              "When you receive this message, you have %d days to %s",
                                                              SESAME_ACTIVATION_DAYS),
                                                 SESAME_ACTIVATION_DAYS, "\x01");
    g_auto(GStrv) parts = g_strsplit (sentence, "\x01", 2);
    g_autofree char *before = g_markup_escape_text (parts[0], -1);
    g_autofree char *after = g_markup_escape_text (parts[1] ? parts[1] : "", -1);

    g_string_append_printf (html, "<p>%s%s%s %s</p>\n", before, anchor, after, escaped_explanation);
  }

  free_text = normalise_free_text (text->free_text);
  if (free_text != NULL)
    {
      g_auto(GStrv) paragraphs = g_strsplit (free_text, "\n\n", -1);

      for (guint i = 0; paragraphs[i] != NULL; i++)
        {
          g_strstrip (paragraphs[i]);
          if (paragraphs[i][0] != '\0')
            append_html_paragraph (html, paragraphs[i], TRUE);
        }
    }

  append_html_paragraph (html, _("If you have trouble signing in, contact your administrator at your establishment."), FALSE);
  append_html_paragraph (html, _("Kind regards,"), FALSE);

  if (text->establishment_name != NULL && text->establishment_name[0] != '\0')
    g_string_append (signature, text->establishment_name);
  if (text->ent_url != NULL && text->ent_url[0] != '\0')
    {
      if (signature->len > 0)
        g_string_append_c (signature, '\n');
      g_string_append (signature, text->ent_url);
    }
  if (signature->len > 0)
    append_html_paragraph (html, signature->str, TRUE);

  g_string_append (html, "</body></html>\n");
  return g_string_free (g_steal_pointer (&html), FALSE);
}

static void
append_linked (GString    *html,
               const char *line)
{
  const char *p = line;

  while (*p != '\0')
    {
      const char *start = strstr (p, "https://");
      const char *http = strstr (p, "http://");
      const char *end;
      g_autofree char *before = NULL;
      g_autofree char *url = NULL;
      g_autofree char *escaped_before = NULL;
      g_autofree char *escaped_url = NULL;

      if (start == NULL || (http != NULL && http < start))
        start = http;
      if (start == NULL)
        {
          g_autofree char *rest = g_markup_escape_text (p, -1);
          g_string_append (html, rest);
          return;
        }
      end = start;
      while (*end != '\0' && !g_ascii_isspace (*end) && *end != '<' && *end != '>' && *end != '"')
        end++;
      before = g_strndup (p, start - p);
      url = g_strndup (start, end - start);
      escaped_before = g_markup_escape_text (before, -1);
      escaped_url = g_markup_escape_text (url, -1);
      g_string_append_printf (html, "%s<a href=\"%s\">%s</a>", escaped_before, escaped_url, escaped_url);
      p = end;
    }
}

/**
 * sesame_mail_text_to_html:
 * @text: a plain text body
 *
 * Builds the HTML alternative from the same text: paragraphs stay
 * paragraphs, addresses become links, everything else is escaped.
 *
 * Returns: (transfer full): an HTML document
 */
char *
sesame_mail_text_to_html (const char *text)
{
  g_autoptr(GString) html = g_string_new ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body>\n");
  g_auto(GStrv) paragraphs = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  paragraphs = g_strsplit (text, "\n\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_auto(GStrv) lines = NULL;

      g_strstrip (paragraphs[i]);
      if (paragraphs[i][0] == '\0')
        continue;
      lines = g_strsplit (paragraphs[i], "\n", -1);
      g_string_append (html, "<p>");
      for (guint j = 0; lines[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append (html, "<br>\n");
          append_linked (html, lines[j]);
        }
      g_string_append (html, "</p>\n");
    }
  g_string_append (html, "</body></html>\n");
  return g_string_free (g_steal_pointer (&html), FALSE);
}

static gboolean
name_is_one_line (const char *name)
{
  if (name == NULL)
    return TRUE;
  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (is_forbidden_in_line (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
add_mailbox (InternetAddressList *list,
             const char          *name,
             const char          *address)
{
  InternetAddress *mailbox = internet_address_mailbox_new (name ? name : "", address);

  /* Names are encoded as UTF-8, like the subject, whatever they hold. */
  internet_address_set_charset (mailbox, "utf-8");
  internet_address_list_add (list, mailbox);
  g_object_unref (mailbox);
}

static GMimeTextPart *
new_text_part (const char *subtype,
               const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;

  /* The text stays UTF-8: g_mime_text_part_set_text() would pick the
   * "best" charset and re-encode it. */
  stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (GMIME_PART (part), content);
  g_mime_text_part_set_charset (part, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return part;
}

/**
 * sesame_mail_message_new:
 * @from_name: (nullable): the sender's name, e.g. the establishment
 * @from_address: the sender's address
 * @to_name: (nullable): the recipient's name
 * @to_address: the recipient's address
 * @subject: the subject; checked with sesame_mail_check_subject()
 * @text: the text/plain body
 * @flags: whether to add an HTML alternative
 * @date: (nullable): the Date header, or %NULL for now
 * @error: return location for a #GError
 *
 * Composes a message with From (with its name), To, a Subject encoded for
 * UTF-8, Date, Message-ID and `Auto-Submitted: auto-generated`, and a
 * UTF-8 text/plain body in quoted-printable.
 *
 * It fails with %SESAME_ERROR_INVALID when an address is not valid or the
 * subject is refused by sesame_mail_check_subject().
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GMimeMessage *
sesame_mail_message_new (const char       *from_name,
                         const char       *from_address,
                         const char       *to_name,
                         const char       *to_address,
                         const char       *subject,
                         const char       *text,
                         SesameMailFlags   flags,
                         GDateTime        *date,
                         GError          **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeTextPart) plain = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *message_id = NULL;
  const char *domain;

  g_return_val_if_fail (text != NULL, NULL);

  sesame_mail_init ();

  if (!sesame_mail_address_is_valid (from_address))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not a valid sender address."), from_address ? from_address : "");
      return NULL;
    }
  if (!sesame_mail_address_is_valid (to_address))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not a valid email address."), to_address ? to_address : "");
      return NULL;
    }
  if (!sesame_mail_check_subject (subject, error))
    return NULL;
  /* Names come from the directory: they go into a header, so one line only. */
  if (!name_is_one_line (from_name) || !name_is_one_line (to_name))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("A name in the message contains a line break or a control character."));
      return NULL;
    }

  message = g_mime_message_new (TRUE);
  add_mailbox (g_mime_message_get_from (message), from_name, from_address);
  add_mailbox (g_mime_message_get_to (message), to_name, to_address);
  g_mime_message_set_subject (message, subject, "utf-8");
  if (date == NULL)
    date = now = g_date_time_new_now_local ();
  g_mime_message_set_date (message, date);
  domain = strchr (from_address, '@') + 1;
  message_id = g_mime_utils_generate_message_id (domain);
  g_mime_message_set_message_id (message, message_id);
  /* RFC 3834: no auto-reply, no vacation message back to the office. */
  g_mime_object_set_header (GMIME_OBJECT (message), "Auto-Submitted", "auto-generated", NULL);

  plain = new_text_part ("plain", text);
  if (flags & SESAME_MAIL_FLAGS_HTML)
    {
      g_autoptr(GMimeMultipart) alternative = g_mime_multipart_new_with_subtype ("alternative");
      g_autofree char *html_text = sesame_mail_text_to_html (text);
      g_autoptr(GMimeTextPart) html = new_text_part ("html", html_text);

      g_mime_multipart_add (alternative, GMIME_OBJECT (plain));
      g_mime_multipart_add (alternative, GMIME_OBJECT (html));
      g_mime_message_set_mime_part (message, GMIME_OBJECT (alternative));
    }
  else
    g_mime_message_set_mime_part (message, GMIME_OBJECT (plain));

  return g_steal_pointer (&message);
}

/**
 * sesame_mail_message_set_html:
 * @message: a text/plain message from sesame_mail_message_new()
 * @html: the HTML alternative of its text
 *
 * Turns the message into multipart/alternative: its text/plain part first,
 * then @html, for bodies whose HTML is written rather than derived from
 * the text.
 */
void
sesame_mail_message_set_html (GMimeMessage *message,
                              const char   *html)
{
  g_autoptr(GMimeMultipart) alternative = NULL;
  g_autoptr(GMimeTextPart) part = NULL;
  GMimeObject *plain;

  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (html != NULL);

  plain = g_mime_message_get_mime_part (message);
  g_return_if_fail (GMIME_IS_TEXT_PART (plain));

  alternative = g_mime_multipart_new_with_subtype ("alternative");
  part = new_text_part ("html", html);
  g_mime_multipart_add (alternative, plain);
  g_mime_multipart_add (alternative, GMIME_OBJECT (part));
  g_mime_message_set_mime_part (message, GMIME_OBJECT (alternative));
}

/**
 * sesame_mail_message_attach:
 * @message: a message from sesame_mail_message_new()
 * @filename: the attachment's file name
 * @content_type: its MIME type, e.g. `text/csv`
 * @data: its content
 *
 * Turns the message into multipart/mixed with @data attached (base64).
 */
void
sesame_mail_message_attach (GMimeMessage *message,
                            const char   *filename,
                            const char   *content_type,
                            GBytes       *data)
{
  g_autoptr(GMimeMultipart) mixed = NULL;
  g_autoptr(GMimePart) part = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) wrapper = NULL;
  g_auto(GStrv) type = NULL;
  GMimeObject *body;
  gsize len;
  const guint8 *bytes;

  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (filename != NULL && content_type != NULL && data != NULL);

  type = g_strsplit (content_type, "/", 2);
  g_return_if_fail (type[0] != NULL && type[1] != NULL);

  body = g_mime_message_get_mime_part (message);
  mixed = g_mime_multipart_new_with_subtype ("mixed");
  g_mime_multipart_add (mixed, body);

  bytes = g_bytes_get_data (data, &len);
  stream = g_mime_stream_mem_new_with_buffer ((const char *) bytes, len);
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  part = g_mime_part_new_with_type (type[0], type[1]);
  g_mime_part_set_content (part, wrapper);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_part_set_filename (part, filename);
  g_mime_multipart_add (mixed, GMIME_OBJECT (part));

  g_mime_message_set_mime_part (message, GMIME_OBJECT (mixed));
}

/**
 * sesame_mail_message_to_bytes:
 * @message: a message
 *
 * Writes @message for SMTP, as sesame_smtp_client_send() takes it.
 *
 * Returns: (transfer full): the message as sent on the wire, lines ending
 *   with CRLF
 */
GBytes *
sesame_mail_message_to_bytes (GMimeMessage *message)
{
  g_autoptr(GMimeStream) stream = NULL;
  GMimeFormatOptions *options;
  GByteArray *array;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  stream = g_mime_stream_mem_new ();
  g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_format_options_free (options);

  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  if (array->len < 2 || array->data[array->len - 2] != '\r' || array->data[array->len - 1] != '\n')
    g_byte_array_append (array, (const guint8 *) "\r\n", 2);
  return g_bytes_new (array->data, array->len);
}
