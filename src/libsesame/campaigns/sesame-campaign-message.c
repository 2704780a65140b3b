/* sesame-campaign-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message a campaign sends to one person: the diffusion text with the
 * person's login and the link that carries their activation token, as the
 * store's document language writes it, under the subject the operator
 * starts from, and its preview before anything is recorded. The tokens
 * themselves are made and kept in sesame-activation-tokens.c; this file
 * only puts one into words. The wording itself is the mail folder's
 * (sesame_mail_compose_diffusion_text()), which knows nothing of
 * campaigns.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-campaign-eligibility-private.h"
#include "sesame-campaign-message-private.h"
#include "sesame-document-language-private.h"
#include "sesame-establishments.h"

char *
_sesame_campaign_message_display_name (const char *first_name,
                                       const char *last_name)
{
  g_autofree char *last = g_utf8_strup (last_name ? last_name : "", -1);

  return g_strstrip (g_strdup_printf ("%s %s", first_name ? first_name : "", last));
}

char *
_sesame_campaign_message_dup_ent_url (SesameStore  *self,
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

/* A page of the families' pages (served by sesame-server at the ENT's
 * address) with a token: "https://ent.example.org/auth" and "activer"
 * give "https://ent.example.org/auth/activer?jeton=…". The address's own
 * path stays in front (a proxy may serve the pages under it), a query
 * already there is kept with the token added, and a fragment stays last.
 * Built from the configured address alone, never from a request. */
char *
_sesame_campaign_message_page_link (const char *ent_url,
                                    const char *page,
                                    const char *token)
{
  const char *fragment = strchr (ent_url, '#');
  g_autofree char *base = g_strndup (ent_url, fragment ? (gsize) (fragment - ent_url) : strlen (ent_url));
  char *query = strchr (base, '?');
  g_autofree char *query_part = NULL;
  gsize path_end;

  if (query != NULL)
    {
      query_part = g_strdup (query + 1);
      *query = '\0';
    }
  path_end = strlen (base);
  while (path_end > 0 && base[path_end - 1] == '/')
    base[--path_end] = '\0';
  return g_strdup_printf ("%s/%s?%s%sjeton=%s%s", base, page,
                          query_part != NULL && query_part[0] != '\0' ? query_part : "",
                          query_part != NULL && query_part[0] != '\0' ? "&" : "",
                          token, fragment ? fragment : "");
}

/* The link of a diffusion message: the activation page with the token. */
char *
_sesame_campaign_message_activation_link (const char *ent_url,
                                          const char *token)
{
  return _sesame_campaign_message_page_link (ent_url, "activer", token);
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
  char *ent_url = _sesame_campaign_message_dup_ent_url (self, NULL);
  char *link = _sesame_campaign_message_activation_link (ent_url ? ent_url : "", token);
  char *display_name = _sesame_campaign_message_display_name (first_name, last_name);

  g_ptr_array_add (strings, ent_name);
  g_ptr_array_add (strings, ent_url);
  g_ptr_array_add (strings, link);
  g_ptr_array_add (strings, display_name);

  if (structure != NULL && structure[0] != '\0')
    establishment = sesame_establishments_find (self, structure, NULL);

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
_sesame_campaign_message_compose_text (SesameStore    *self,
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
_sesame_campaign_message_compose (SesameStore         *self,
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

/**
 * sesame_campaign_message_dup_default_subject:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 *
 * Proposes a subject for a campaign, or for a single activation message,
 * named after the establishment the families know.
 *
 * Returns: (transfer full): "<Établissement> - your login details", with
 *   the campaign's establishment, or the store's when it has only one
 */
char *
sesame_campaign_message_dup_default_subject (SesameStore    *self,
                                             SesameCampaign *campaign)
{
  g_autoptr(SesameEstablishment) establishment = NULL;
  g_autoptr(GPtrArray) establishments = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), NULL);

  if (campaign->establishment[0] != '\0')
    establishment = sesame_establishments_find (self, campaign->establishment, NULL);
  else
    {
      g_auto(GStrv) mine = sesame_store_operator_dup_administered_establishments (self);

      /* A head of one establishment sends to theirs. */
      if (mine != NULL && g_strv_length (mine) == 1)
        establishment = sesame_establishments_find (self, mine[0], NULL);
      else
        {
          establishments = sesame_establishments_list (self, NULL);
          if (establishments != NULL && establishments->len == 1)
            establishment = sesame_establishment_copy (g_ptr_array_index (establishments, 0));
        }
    }

  /* The families read it: in the document language. */
  _sesame_store_push_document_language (self);
  if (establishment != NULL && establishment->name[0] != '\0')
    {
      /* TRANSLATORS: the default subject of the identifiers email; %s is the
       * establishment. French: « %s - vos identifiants de connexion » */
      subject = g_strdup_printf (_("%s - your login details"), establishment->name);
      if (g_utf8_strlen (subject, -1) > SESAME_MAIL_SUBJECT_MAX_CHARS)
        g_clear_pointer (&subject, g_free);
    }
  if (subject == NULL)
    /* TRANSLATORS: French: « Vos identifiants de connexion à l'ENT » */
    subject = g_strdup (_("Your ENT login details"));
  _sesame_document_language_pop ();
  return g_steal_pointer (&subject);
}

/* The first recipient with an address, for the preview. */
static gboolean
first_recipient (SesameStore     *self,
                 SesameCampaign  *campaign,
                 char           **login,
                 char           **first_name,
                 char           **last_name,
                 char           **address,
                 char           **structure,
                 GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = _sesame_campaign_eligibility_prepare (self, campaign, error);
  if (stmt == NULL)
    return FALSE;
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    if (sesame_mail_address_is_valid (_sesame_column_text (stmt, SESAME_ELIGIBLE_EMAIL)))
      {
        *login = g_strdup (_sesame_column_text (stmt, SESAME_ELIGIBLE_LOGIN));
        *last_name = g_strdup (_sesame_column_text (stmt, SESAME_ELIGIBLE_LAST_NAME));
        *first_name = g_strdup (_sesame_column_text (stmt, SESAME_ELIGIBLE_FIRST_NAME));
        *address = g_strdup (_sesame_column_text (stmt, SESAME_ELIGIBLE_EMAIL));
        *structure = g_strdup (_sesame_column_text (stmt, SESAME_ELIGIBLE_STRUCTURE));
        found = TRUE;
      }
  sqlite3_reset (stmt);

  if (!found)
    g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND,
                         _("No account of this target has an email address and is still waiting for its first sign-in."));
  return found;
}

/* What the preview shows where the token will be: never a real one. */
#define PREVIEW_TOKEN "…"

/**
 * sesame_campaign_message_preview:
 * @self: a #SesameStore
 * @campaign: a campaign being prepared
 * @to: (out) (optional) (transfer full): "Name <address>" of the recipient
 * @error: return location for a #GError
 *
 * Writes the message one real recipient will receive, as it will be sent,
 * except that its link shows no token. A campaign that names no
 * establishment gets the operator's when they administer only one.
 *
 * Returns: (transfer full): the text of the message, or %NULL with @error
 *   set (%SESAME_ERROR_NOT_FOUND when no recipient has an address)
 */
char *
sesame_campaign_message_preview (SesameStore     *self,
                                 SesameCampaign  *campaign,
                                 char           **to,
                                 GError         **error)
{
  g_autofree char *login = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *structure = NULL;
  g_autofree char *ent_url = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (self), NULL);
  g_return_val_if_fail (SESAME_IS_CAMPAIGN (campaign), NULL);

  _sesame_campaign_eligibility_default_establishment (self, campaign);
  if (!_sesame_campaign_eligibility_check_target (self, campaign, error))
    return NULL;
  ent_url = _sesame_campaign_message_dup_ent_url (self, error);
  if (ent_url == NULL)
    return NULL;
  if (!first_recipient (self, campaign, &login, &first_name, &last_name, &address, &structure, error))
    return NULL;

  if (to != NULL)
    {
      g_autofree char *name = _sesame_campaign_message_display_name (first_name, last_name);
      *to = g_strdup_printf ("%s <%s>", name, address);
    }
  return _sesame_campaign_message_compose_text (self, campaign, login, first_name, last_name, structure, PREVIEW_TOKEN);
}
