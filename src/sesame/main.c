/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sesame-application.h"
#include "sesame-document-language.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SesameApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* SESAME_LOCALEDIR, the build tree when run from it, or the installed
   * translations. */
  sesame_document_language_bind_text_domain ();

  app = sesame_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
