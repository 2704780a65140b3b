/* sesame-campaign-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message a campaign sends to one person: the diffusion text with the
 * person's login and the link that carries their activation token, as the
 * store's document language writes it. The tokens themselves are made and
 * kept in sesame-activation-tokens.c; this file only puts one into words.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-campaign-private.h"
#include "sesame-document-language-private.h"
#include "sesame-identifier-files.h"

char *
_sesame_person_display_name (const char *first_name,
                             const char *last_name)
{
  g_autofree char *last = g_utf8_strup (last_name ? last_name : "", -1);

  return g_strstrip (g_strdup_printf ("%s %s", first_name ? first_name : "", last));
}

char *
_sesame_store_dup_ent_url (SesameStore  *self,
                           GError      **error)
{
  g_autofree char *url = sesame_store_settings_dup (self, SESAME_SETTING_ENT_URL, "");

  g_strstrip (url);
  if (url[0] == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET,
                           _("The ENT address is not set: give it in the Preferences (or with “sesamectl settings set ent-url URL”) so that the messages can link to it."));
      return NULL;
    }
  /* The link carries a one-time token: never over plain HTTP. */
  if (!g_str_has_prefix (url, "https://") || url[strlen ("https://")] == '\0' ||
      strpbrk (url, " \t\r\n\"<>") != NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The ENT address “%s” is not a web address starting with https://: the links sent carry a token and must be encrypted. Correct it in the Preferences (or with “sesamectl settings set ent-url URL”)."), url);
      return NULL;
    }
  return g_steal_pointer (&url);
}

/* The ENT's address with the token as a query parameter. An address
 * without a path ("https://ent.example.org") gets its "/" first, as a
 * browser would show it: "https://ent.example.org/?activation=…"; a query
 * already there gets another parameter, and a fragment stays last. */
char *
_sesame_activation_link (const char *ent_url,
                         const char *token)
{
  const char *fragment = strchr (ent_url, '#');
  g_autofree char *base = g_strndup (ent_url, fragment ? (gsize) (fragment - ent_url) : strlen (ent_url));
  const char *authority = strstr (base, "://");

  if (authority != NULL)
    {
      gsize host_end;

      authority += strlen ("://");
      host_end = (gsize) (authority - base) + strcspn (authority, "/?");
      if (base[host_end] != '/')
        {
          char *with_slash = g_strdup_printf ("%.*s/%s", (int) host_end, base, base + host_end);

          g_free (base);
          base = with_slash;
        }
    }
  return g_strdup_printf ("%s%sactivation=%s%s", base, strchr (base, '?') ? "&" : "?", token,
                          fragment ? fragment : "");
}

/* Fills @text for one recipient; the strings it points to are owned by
 * @strings, freed with it. */
static void
fill_diffusion_text (SesameStore         *self,
                     SesameCampaign      *campaign,
                     const char          *login,
                     const char          *first_name,
                     const char          *last_name,
                     const char          *structure,
                     const char          *token,
                     GPtrArray           *strings,
                     SesameDiffusionText *text)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  char *ent_name = sesame_store_settings_dup (self, SESAME_SETTING_ENT_NAME, "");
  char *ent_url = _sesame_store_dup_ent_url (self, NULL);
  char *link = _sesame_activation_link (ent_url ? ent_url : "", token);
  char *display_name = _sesame_person_display_name (first_name, last_name);

  g_ptr_array_add (strings, ent_name);
  g_ptr_array_add (strings, ent_url);
  g_ptr_array_add (strings, link);
  g_ptr_array_add (strings, display_name);

  if (structure != NULL && structure[0] != '\0')
    establishment = sesame_identifier_files_find_establishment (self, structure, NULL);

  memset (text, 0, sizeof *text);
  text->display_name = display_name;
  text->ent_name = ent_name;
  text->login = login;
  text->link = link;
  text->free_text = sesame_campaign_get_free_text (campaign);
  text->ent_url = ent_url;
  if (establishment != NULL)
    {
      char *name = g_strdup (establishment->name);

      g_ptr_array_add (strings, name);
      text->establishment_name = name;
    }
}

char *
_sesame_campaign_compose_text (SesameStore    *self,
                               SesameCampaign *campaign,
                               const char     *login,
                               const char     *first_name,
                               const char     *last_name,
                               const char     *structure,
                               const char     *token)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  SesameDiffusionText text;
  char *composed;

  fill_diffusion_text (self, campaign, login, first_name, last_name, structure, token, strings, &text);
  /* Written for the family, in the document language. */
  _sesame_store_push_document_language (self);
  composed = sesame_mail_compose_diffusion_text (&text);
  _sesame_document_language_pop ();
  return composed;
}

GMimeMessage *
_sesame_campaign_compose (SesameStore         *self,
                          SesameCampaign      *campaign,
                          SesameSmtpSettings  *settings,
                          const char          *login,
                          const char          *first_name,
                          const char          *last_name,
                          const char          *address,
                          const char          *structure,
                          const char          *token,
                          GError             **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMimeMessage) message = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *html = NULL;
  SesameDiffusionText text;

  fill_diffusion_text (self, campaign, login, first_name, last_name, structure, token, strings, &text);
  /* Written for the family, in the document language. */
  _sesame_store_push_document_language (self);
  plain = sesame_mail_compose_diffusion_text (&text);
  html = sesame_mail_compose_diffusion_html (&text);
  _sesame_document_language_pop ();
  message = sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                     sesame_smtp_settings_get_from_address (settings),
                                     text.display_name, address,
                                     sesame_campaign_get_subject (campaign), plain,
                                     SESAME_MAIL_FLAGS_NONE, NULL, error);
  if (message == NULL)
    return NULL;
  sesame_mail_message_set_html (message, html);
  return g_steal_pointer (&message);
}
