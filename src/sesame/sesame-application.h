/* sesame-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_APPLICATION (sesame_application_get_type ())

G_DECLARE_FINAL_TYPE (SesameApplication, sesame_application, SESAME, APPLICATION, AdwApplication)

SesameApplication *sesame_application_new          (const char        *application_id,
                                                    GApplicationFlags  flags);
SesameStore       *sesame_application_get_store    (SesameApplication *self);
void               sesame_application_set_store    (SesameApplication *self,
                                                    SesameStore       *store);
GSettings         *sesame_application_get_settings (SesameApplication *self);
gboolean           sesame_application_is_demo_store (SesameApplication *self,
                                                     SesameStore       *store);

gboolean           sesame_application_adopt_joined_store (SesameApplication  *self,
                                                          const char         *joined_path,
                                                          GError            **error);

G_END_DECLS
