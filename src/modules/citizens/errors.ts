// Messages for the citizen accounts' errors (市民服务): code → zh-CN and English.
import { defineErrors } from '../../shared/errors.ts';

export const citizenErrors = defineErrors({
  'citizen.code_expired': { zh: '验证码已失效，请重新获取', en: 'The code has expired; request a new one' },
  'citizen.too_many_codes': { zh: '验证码获取过于频繁，请稍后再试', en: 'Too many codes requested; try again later' },
  'citizen.wrong_code': { zh: '验证码错误', en: 'Wrong code' },
  'citizen.staff_route': { zh: '公众账号只能使用市民服务的功能', en: 'Citizen accounts may use the citizen portal only' },
  'citizen.only': { zh: '此功能仅供公众账号本人使用', en: 'Only a citizen may use this, for their own record' },
  'citizen.invalid_phone': { zh: '请输入以 13–19 开头的 11 位手机号', en: 'Enter an 11-digit mobile number starting 13–19' },
  'citizen.same_phone': { zh: '这已是您当前的手机号', en: 'That is already your number' },
  'citizen.invalid_name': { zh: '姓名不能为空', en: 'The name must not be blank' },
  'citizen.invalid_id_number': { zh: '身份证号无效', en: 'Not a valid ID number' },
  'citizen.id_number_taken': { zh: '该身份证号已注册，请直接登录', en: 'This ID number is already registered; sign in instead' },
  'citizen.phone_taken': { zh: '该手机号已注册，请直接登录或更换号码', en: 'This mobile number is already registered; sign in or use another number' },
  'citizen.unexpected_challenge': { zh: '公众账号没有短信二次验证', en: 'Citizen accounts have no second factor' },
  'citizen.not_found': { zh: '公众账号不存在', en: 'No such citizen account' },
});
