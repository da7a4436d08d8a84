// The citizen portal's own strings, zh-CN first with English; the language is the console's (useI18n).
import { useCallback } from 'react';
import { useI18n } from '../../context.tsx';
import type { MessageParams } from '../../i18n.ts';

const zh = {
  'portal.title': '市民服务',
  'portal.subtitle': '哈密市政务云 · 个人账号',
  'portal.tabPassword': '密码登录',
  'portal.tabCode': '验证码登录',
  'portal.tabRegister': '注册',
  'portal.identifier': '手机号或身份证号',
  'portal.identifierRequired': '请输入手机号或身份证号',
  'portal.password': '密码',
  'portal.passwordRequired': '请输入密码',
  'portal.passwordHint': '至少 8 位，包含大小写字母、数字、符号中的三类，且不易猜测',
  'portal.phone': '手机号',
  'portal.phoneInvalid': '请输入 11 位手机号',
  'portal.code': '短信验证码',
  'portal.codeInvalid': '请输入 6 位数字验证码',
  'portal.sendCode': '获取验证码',
  'portal.resendIn': '{n} 秒后重发',
  'portal.codeSent': '验证码已发送至 {phone}，5 分钟内有效',
  'portal.name': '姓名',
  'portal.nameRequired': '请输入姓名',
  'portal.idNumber': '身份证号',
  'portal.idFormat': '身份证号应为 17 位数字加 1 位数字或 X',
  'portal.idCheck': '身份证号校验位不正确，请核对',
  'portal.idBirth': '身份证号中的出生日期无效',
  'portal.idRegion': '身份证号前 6 位不是有效的行政区划代码',
  'portal.signIn': '登 录',
  'portal.register': '注 册',
  'portal.registered': '注册成功',
  'portal.captcha': '验证码',
  'portal.captchaRequired': '请输入图中的验证码',
  'portal.me': '我的信息',
  'portal.idMasked': '身份证号',
  'portal.phoneMasked': '手机号',
  'portal.registeredAt': '注册时间',
  'portal.changePhone': '更换手机号',
  'portal.newPhone': '新手机号',
  'portal.phoneChanged': '手机号已更换',
  'portal.changePassword': '修改密码',
  'portal.currentPassword': '当前密码',
  'portal.newPassword': '新密码',
  'portal.passwordChanged': '密码已修改，其他设备已退出登录',
  'portal.save': '保 存',
  'portal.signOut': '退出登录',
  'portal.staffLink': '工作人员登录',
  'portal.myCases': '我的办件',
  'portal.services': '在线申办',
  'error.citizen.code_expired': '验证码已失效，请重新获取',
  'error.citizen.wrong_code': '验证码错误，还可尝试 {n} 次',
  'error.citizen.too_many_codes': '验证码获取过于频繁，请稍后再试',
  'error.citizen.id_number_taken': '该身份证号已注册，请直接登录',
  'error.citizen.phone_taken': '该手机号已注册，请直接登录或更换号码',
  'error.citizen.same_phone': '这已是您当前的手机号',
  'error.auth.invalid_credentials': '账号或密码错误',
  'error.auth.locked': '失败次数过多，账号暂时锁定，请稍后再试',
  'error.auth.captcha_required': '请输入图中的验证码后重试',
  'error.auth.captcha_wrong': '验证码错误或已失效',
  'error.sms.unavailable': '短信发送失败，请稍后重试',
};

type PortalKey = keyof typeof zh;

const en: Record<PortalKey, string> = {
  'portal.title': 'Citizen services',
  'portal.subtitle': 'Hami Government Cloud · personal account',
  'portal.tabPassword': 'Password',
  'portal.tabCode': 'SMS code',
  'portal.tabRegister': 'Register',
  'portal.identifier': 'Mobile or ID number',
  'portal.identifierRequired': 'Enter your mobile number or ID number',
  'portal.password': 'Password',
  'portal.passwordRequired': 'Enter your password',
  'portal.passwordHint': 'At least 8 characters from three of: lower case, upper case, digits, symbols; hard to guess',
  'portal.phone': 'Mobile number',
  'portal.phoneInvalid': 'Enter an 11-digit mobile number',
  'portal.code': 'SMS code',
  'portal.codeInvalid': 'Enter the 6-digit code',
  'portal.sendCode': 'Send code',
  'portal.resendIn': 'Resend in {n} s',
  'portal.codeSent': 'Code sent to {phone}, valid for 5 minutes',
  'portal.name': 'Name',
  'portal.nameRequired': 'Enter your name',
  'portal.idNumber': 'ID number',
  'portal.idFormat': 'An ID number is 17 digits followed by a digit or X',
  'portal.idCheck': 'The ID number’s check character is wrong; please check it',
  'portal.idBirth': 'The birth date in the ID number is not valid',
  'portal.idRegion': 'The first six digits of the ID number are not a region code',
  'portal.signIn': 'Sign in',
  'portal.register': 'Register',
  'portal.registered': 'Registered',
  'portal.captcha': 'Captcha',
  'portal.captchaRequired': 'Enter the characters shown',
  'portal.me': 'My details',
  'portal.idMasked': 'ID number',
  'portal.phoneMasked': 'Mobile number',
  'portal.registeredAt': 'Registered',
  'portal.changePhone': 'Change mobile number',
  'portal.newPhone': 'New mobile number',
  'portal.phoneChanged': 'Mobile number changed',
  'portal.changePassword': 'Change password',
  'portal.currentPassword': 'Current password',
  'portal.newPassword': 'New password',
  'portal.passwordChanged': 'Password changed; other devices were signed out',
  'portal.save': 'Save',
  'portal.signOut': 'Sign out',
  'portal.staffLink': 'Staff sign-in',
  'portal.myCases': 'My cases',
  'portal.services': 'Apply online',
  'error.citizen.code_expired': 'The code has expired; request a new one',
  'error.citizen.wrong_code': 'Wrong code, {n} tries left',
  'error.citizen.too_many_codes': 'Too many codes requested; try again later',
  'error.citizen.id_number_taken': 'This ID number is already registered; sign in instead',
  'error.citizen.phone_taken': 'This mobile number is already registered; sign in or use another number',
  'error.citizen.same_phone': 'That is already your number',
  'error.auth.invalid_credentials': 'Wrong account or password',
  'error.auth.locked': 'Too many failed attempts; the account is locked for a while',
  'error.auth.captcha_required': 'Enter the captcha and try again',
  'error.auth.captcha_wrong': 'The captcha is wrong or has expired',
  'error.sms.unavailable': 'The SMS could not be sent; try again shortly',
};

export const PORTAL_MESSAGES = { 'zh-CN': zh, 'en-US': en } as const;

export type PortalText = (key: PortalKey, params?: MessageParams) => string;

/** The portal's translator, and one for problem codes (null when the portal has no sentence for a code). */
export function usePortalText(): { p: PortalText; problem: (code: string, params?: MessageParams) => string | null } {
  const { lang } = useI18n();
  const fill = useCallback((template: string, params?: MessageParams) => template.replace(/\{(\w+)\}/g, (m, name: string) => (params && name in params ? String(params[name]) : m)), []);
  const p = useCallback<PortalText>((key, params) => fill(PORTAL_MESSAGES[lang][key], params), [lang, fill]);
  const problem = useCallback(
    (code: string, params?: MessageParams) => {
      const key = `error.${code}`;
      return key in zh ? fill(PORTAL_MESSAGES[lang][key as PortalKey], params) : null;
    },
    [lang, fill],
  );
  return { p, problem };
}
