# PlatformIO extraScript (library.json): compiles ges_job.c and the one port
# chosen in platformio.ini, nothing else:
#   custom_ges_job_port = lwip      ; posix | lwip | lwip_raw | none (default)
# Include the port's header by its path: #include "port/lwip/ges_port_lwip.h".
Import("env")  # noqa: F821 (SCons)

port = env.GetProjectOption("custom_ges_job_port", "none")  # noqa: F821
src = ["-<*>", "+<ges_job.c>"]
if port in ("posix", "lwip", "lwip_raw"):
    src.append("+<port/%s/ges_port_%s.c>" % (port, port))
elif port != "none":
    print("ges_job: custom_ges_job_port must be posix, lwip, lwip_raw or none, not %r" % port)
    env.Exit(1)  # noqa: F821
env.Replace(SRC_FILTER=src)  # noqa: F821
