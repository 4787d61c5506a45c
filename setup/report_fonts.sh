# shellcheck shell=bash
# Sourced by setup/common.sh, never run.

# The report font for wkhtmltopdf: a PDF prints its text with a font installed
# on the machine (a web font would be drawn as shapes, see the addon's
# report_pdf_text.scss), the family "PDF Report Lato", which this fontconfig
# file maps to Lato: Debian's fonts-lato when installed, else the Lato files of
# the installed Odoo (read where they are, nothing is copied). Exported for the
# processes these scripts start.
ensure_report_fonts() {
    local lato_dir=""
    if ! fc-list 2>/dev/null | grep -qi "Lato"; then
        lato_dir="$("$PFP_PYTHON" - <<'PY' 2>/dev/null
import os, odoo
here = os.path.dirname(odoo.__file__)
for web in (os.path.join(os.path.dirname(here), "addons", "web"), os.path.join(here, "addons", "web")):
    if os.path.isdir(os.path.join(web, "static", "fonts", "lato")):
        print(os.path.join(web, "static", "fonts", "lato"))
        break
PY
)"
    fi
    mkdir -p "$PFP_LOCAL/fontconfig-cache"
    {
        echo '<?xml version="1.0"?>'
        echo '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        echo '<fontconfig>'
        echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        [ -n "$lato_dir" ] && echo "  <dir>$lato_dir</dir>"
        echo '  <alias binding="same"><family>PDF Report Lato</family><prefer><family>Lato</family></prefer></alias>'
        echo "  <cachedir>$PFP_LOCAL/fontconfig-cache</cachedir>"
        echo '</fontconfig>'
    } >"$PFP_LOCAL/fonts.conf"
    export FONTCONFIG_FILE="$PFP_LOCAL/fonts.conf"
}
