#ifndef IKELENS_UTIL_H
#define IKELENS_UTIL_H
#endif
