/* sesame-mail-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* Limits of the Diffusion page, from the vendor manual. */
#define SESAME_MAIL_SUBJECT_MAX_CHARS   75
#define SESAME_MAIL_FREE_TEXT_MAX_CHARS 600
/* How long the link of a diffusion message lets the person set a password. */
#define SESAME_ACTIVATION_DAYS          60

/**
 * SesameMailFlags:
 * @SESAME_MAIL_FLAGS_NONE: a text/plain message
 * @SESAME_MAIL_FLAGS_HTML: add an HTML alternative built from the same text
 *
 * How a message is composed.
 */
typedef enum
{
  SESAME_MAIL_FLAGS_NONE = 0,
  SESAME_MAIL_FLAGS_HTML = 1 << 0,
} SesameMailFlags;

/**
 * SesameDiffusionText:
 * @display_name: the recipient's name, e.g. "Éloïse DUPONT"
 * @ent_name: (nullable): the ENT's name, e.g. "Mon collège"
 * @login: the recipient's ENT login
 * @link: the ENT address carrying the one-time activation token
 * @free_text: (nullable): the operator's own words
 * @establishment_name: (nullable): the establishment signing the message
 * @ent_url: (nullable): the ENT's address, under the signature
 *
 * What fills the fixed body of a diffusion message. It never holds a
 * password.
 */
typedef struct
{
  const char *display_name;
  const char *ent_name;
  const char *login;
  const char *link;
  const char *free_text;
  const char *establishment_name;
  const char *ent_url;
} SesameDiffusionText;

void           sesame_mail_init                   (void);

gboolean       sesame_mail_address_is_valid       (const char                *address);
gboolean       sesame_mail_check_subject          (const char                *subject,
                                                   GError                   **error);
gboolean       sesame_mail_check_free_text        (const char                *text,
                                                   GError                   **error);

char          *sesame_mail_compose_diffusion_text (const SesameDiffusionText *text);
char          *sesame_mail_compose_diffusion_html (const SesameDiffusionText *text);
char          *sesame_mail_text_to_html           (const char                *text);

GMimeMessage  *sesame_mail_message_new            (const char                *from_name,
                                                   const char                *from_address,
                                                   const char                *to_name,
                                                   const char                *to_address,
                                                   const char                *subject,
                                                   const char                *text,
                                                   SesameMailFlags            flags,
                                                   GDateTime                 *date,
                                                   GError                   **error);
void           sesame_mail_message_set_html       (GMimeMessage              *message,
                                                   const char                *html);
void           sesame_mail_message_attach         (GMimeMessage              *message,
                                                   const char                *filename,
                                                   const char                *content_type,
                                                   GBytes                    *data);
GBytes        *sesame_mail_message_to_bytes       (GMimeMessage              *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeTextPart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMultipart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)

G_END_DECLS
